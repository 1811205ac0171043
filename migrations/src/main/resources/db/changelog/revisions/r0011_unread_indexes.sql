--liquibase formatted sql

-- r0011: six more indexes no query reads (issue 19). What a task-run event writes goes into
-- these on every insert, and what the events benchmark's writer does is mostly index upkeep:
--   * states are read by their id and by their run's (run id, timestamp), never by type or name:
--     task_run_state and flow_run_state (type) and (name);
--   * a task run's state is joined from the run by the state's primary key, never the other way:
--     task_run (state_id) (flow_run keeps its own: its foreign key to flow_run_state sets it null
--     when a state goes, a lookup by state_id for each state deleted with a flow run);
--   * event_resources (occurred) served the retention trim only, which now deletes the resource
--     rows of the oldest events by their event_id;
--   event_resources (resource_id, occurred), the largest index of an event and written at a random
--   place, stays: an event filter's `related` and `any_resource` by resource id start from it.
-- What it saves is measured in docs/performance.md ("Twelfth pass"). The downgrade builds them
-- again, which takes minutes on millions of rows.

--changeset openprefect:r0011-postgresql dbms:postgresql
--comment: drop six more indexes no query reads
DROP INDEX ix_task_run_state__type;
DROP INDEX ix_task_run_state__name;
DROP INDEX ix_flow_run_state__type;
DROP INDEX ix_flow_run_state__name;
DROP INDEX ix_task_run__state_id;
DROP INDEX ix_event_resources__occurred;
--rollback CREATE INDEX ix_event_resources__occurred ON event_resources (occurred);
--rollback CREATE INDEX ix_task_run__state_id ON task_run (state_id);
--rollback CREATE INDEX ix_flow_run_state__name ON flow_run_state (name);
--rollback CREATE INDEX ix_flow_run_state__type ON flow_run_state (type);
--rollback CREATE INDEX ix_task_run_state__name ON task_run_state (name);
--rollback CREATE INDEX ix_task_run_state__type ON task_run_state (type);

--changeset openprefect:r0011-sqlite dbms:sqlite
--comment: drop six more indexes no query reads
DROP INDEX ix_task_run_state__type;
DROP INDEX ix_task_run_state__name;
DROP INDEX ix_flow_run_state__type;
DROP INDEX ix_flow_run_state__name;
DROP INDEX ix_task_run__state_id;
DROP INDEX ix_event_resources__occurred;
--rollback CREATE INDEX ix_event_resources__occurred ON event_resources (occurred);
--rollback CREATE INDEX ix_task_run__state_id ON task_run (state_id);
--rollback CREATE INDEX ix_flow_run_state__name ON flow_run_state (name);
--rollback CREATE INDEX ix_flow_run_state__type ON flow_run_state (type);
--rollback CREATE INDEX ix_task_run_state__name ON task_run_state (name);
--rollback CREATE INDEX ix_task_run_state__type ON task_run_state (type);
