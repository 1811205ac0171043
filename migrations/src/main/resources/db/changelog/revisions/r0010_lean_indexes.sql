--liquibase formatted sql

-- r0010: fewer index entries per write (issue 19). Every event, run, state and log row went into
-- every index upstream's schema gives its table; these indexes answer no query of this server:
--   * the same columns lead a wider index, which answers every lookup and order they did:
--     events (occurred) and (event, occurred) by (occurred, id) and (event, occurred, id);
--     task_run (flow_run_id) by the unique (flow_run_id, task_key, dynamic_key), which also serves
--     the cascade from flow_run; flow_run (flow_id) by the unique (flow_id, idempotency_key);
--     (state_type) by r0007's (state_type, start_time, id) and (state_type, expected_start_time);
--     flow_run's two coalesce(start_time, expected_start_time) indexes by r0007's runs-page index,
--     which starts with the same expression; log (flow_run_id) by (flow_run_id, timestamp);
--   * no filter, order or trim of this server reads `updated` on these tables, nor events by
--     (event, id): an event is found by its id alone.
-- What it saves a task-run event and a run's lifecycle is measured in docs/performance.md. The
-- downgrade builds them again, which takes minutes on millions of rows.

--changeset openprefect:r0010-postgresql dbms:postgresql
--comment: drop indexes no query reads
DROP INDEX ix_events__updated;
DROP INDEX ix_events__occurred;
DROP INDEX ix_events__event_occurred;
DROP INDEX ix_events__event__id;
DROP INDEX ix_event_resources__updated;
DROP INDEX ix_task_run__updated;
DROP INDEX ix_task_run__flow_run_id;
DROP INDEX ix_task_run__state_type;
DROP INDEX ix_task_run_state__updated;
DROP INDEX ix_flow_run__updated;
DROP INDEX ix_flow_run__flow_id;
DROP INDEX ix_flow_run__state_type;
DROP INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc;
DROP INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc;
DROP INDEX ix_flow_run_state__updated;
DROP INDEX ix_log__updated;
DROP INDEX ix_log__flow_run_id;
--rollback CREATE INDEX ix_log__flow_run_id ON log (flow_run_id);
--rollback CREATE INDEX ix_log__updated ON log (updated);
--rollback CREATE INDEX ix_flow_run_state__updated ON flow_run_state (updated);
--rollback CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc ON flow_run (coalesce(start_time, expected_start_time) DESC);
--rollback CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc ON flow_run (coalesce(start_time, expected_start_time) ASC);
--rollback CREATE INDEX ix_flow_run__state_type ON flow_run (state_type);
--rollback CREATE INDEX ix_flow_run__flow_id ON flow_run (flow_id);
--rollback CREATE INDEX ix_flow_run__updated ON flow_run (updated);
--rollback CREATE INDEX ix_task_run_state__updated ON task_run_state (updated);
--rollback CREATE INDEX ix_task_run__state_type ON task_run (state_type);
--rollback CREATE INDEX ix_task_run__flow_run_id ON task_run (flow_run_id);
--rollback CREATE INDEX ix_task_run__updated ON task_run (updated);
--rollback CREATE INDEX ix_event_resources__updated ON event_resources (updated);
--rollback CREATE INDEX ix_events__event__id ON events (event, id);
--rollback CREATE INDEX ix_events__event_occurred ON events (event, occurred);
--rollback CREATE INDEX ix_events__occurred ON events (occurred);
--rollback CREATE INDEX ix_events__updated ON events (updated);

--changeset openprefect:r0010-sqlite dbms:sqlite
--comment: drop indexes no query reads
DROP INDEX ix_events__updated;
DROP INDEX ix_events__occurred;
DROP INDEX ix_events__event_occurred;
DROP INDEX ix_events__event__id;
DROP INDEX ix_event_resources__updated;
DROP INDEX ix_task_run__updated;
DROP INDEX ix_task_run__flow_run_id;
DROP INDEX ix_task_run__state_type;
DROP INDEX ix_task_run_state__updated;
DROP INDEX ix_flow_run__updated;
DROP INDEX ix_flow_run__flow_id;
DROP INDEX ix_flow_run__state_type;
DROP INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc;
DROP INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc;
DROP INDEX ix_flow_run_state__updated;
DROP INDEX ix_log__updated;
DROP INDEX ix_log__flow_run_id;
--rollback CREATE INDEX ix_log__flow_run_id ON log (flow_run_id);
--rollback CREATE INDEX ix_log__updated ON log (updated);
--rollback CREATE INDEX ix_flow_run_state__updated ON flow_run_state (updated);
--rollback CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc ON flow_run (coalesce(start_time, expected_start_time) DESC);
--rollback CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc ON flow_run (coalesce(start_time, expected_start_time) ASC);
--rollback CREATE INDEX ix_flow_run__state_type ON flow_run (state_type);
--rollback CREATE INDEX ix_flow_run__flow_id ON flow_run (flow_id);
--rollback CREATE INDEX ix_flow_run__updated ON flow_run (updated);
--rollback CREATE INDEX ix_task_run_state__updated ON task_run_state (updated);
--rollback CREATE INDEX ix_task_run__state_type ON task_run (state_type);
--rollback CREATE INDEX ix_task_run__flow_run_id ON task_run (flow_run_id);
--rollback CREATE INDEX ix_task_run__updated ON task_run (updated);
--rollback CREATE INDEX ix_event_resources__updated ON event_resources (updated);
--rollback CREATE INDEX ix_events__event__id ON events (event, id);
--rollback CREATE INDEX ix_events__event_occurred ON events (event, occurred);
--rollback CREATE INDEX ix_events__occurred ON events (occurred);
--rollback CREATE INDEX ix_events__updated ON events (updated);
