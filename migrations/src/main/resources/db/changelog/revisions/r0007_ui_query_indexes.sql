--liquibase formatted sql

-- r0007: indexes for the UI's queries at a million runs (issue 16). Each serves one query shape
-- from the index alone, so a dashboard count or a page of runs reads index entries instead of one
-- table row per matching run:
--  * runs by state in a time window (the dashboard's counts);
--  * the runs page sorted by start time (upstream's coalesce(start_time, expected_start_time), with
--    the id that breaks ties), walked in order until a page is full;
--  * task runs by state and start time with their id (the dashboard's task-run counts, which
--    leave out subflows' parent tasks by id); it replaces the (state_type, start_time) index;
--  * run history: every column /flow_runs/history and /task_runs/history aggregate, by expected
--    start time;
--  * the runs of some work queues (the work-pool filter), on the runs that have a queue only: its
--    statistics then tell the planner how few runs a pool's queues hold, where the full index's
--    (dominated by runs without a queue) made it walk every run in page order instead.
-- Building them reads each table once: about a minute per million flow runs (and their task runs)
-- on 2 cores; the upgrade shows it as a step like any other.

--changeset openprefect:r0007-postgresql dbms:postgresql
--comment: indexes for the UI's queries at scale
CREATE INDEX ix_flow_run__state_type_expected_start_time ON flow_run (state_type, expected_start_time);
CREATE INDEX ix_flow_run__start_or_expected_desc_id ON flow_run (coalesce(start_time, expected_start_time) DESC, id DESC, start_time, expected_start_time);
CREATE INDEX ix_flow_run__history ON flow_run (expected_start_time, state_type, state_name, start_time, state_timestamp, total_run_time);
CREATE INDEX ix_task_run__state_type_start_time_id ON task_run (state_type, start_time, id);
DROP INDEX ix_task_run__state_type_start_time;
CREATE INDEX ix_task_run__history ON task_run (expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time);
CREATE INDEX ix_flow_run__work_queue_id_not_null ON flow_run (work_queue_id) WHERE work_queue_id IS NOT NULL;
--rollback DROP INDEX ix_flow_run__work_queue_id_not_null;
--rollback DROP INDEX ix_task_run__history;
--rollback CREATE INDEX ix_task_run__state_type_start_time ON task_run (state_type, start_time);
--rollback DROP INDEX ix_task_run__state_type_start_time_id;
--rollback DROP INDEX ix_flow_run__history;
--rollback DROP INDEX ix_flow_run__start_or_expected_desc_id;
--rollback DROP INDEX ix_flow_run__state_type_expected_start_time;

--changeset openprefect:r0007-sqlite dbms:sqlite
--comment: indexes for the UI's queries at scale
CREATE INDEX ix_flow_run__state_type_expected_start_time ON flow_run (state_type, expected_start_time);
CREATE INDEX ix_flow_run__start_or_expected_desc_id ON flow_run (coalesce(start_time, expected_start_time) DESC, id DESC, start_time, expected_start_time);
CREATE INDEX ix_flow_run__history ON flow_run (expected_start_time, state_type, state_name, start_time, state_timestamp, total_run_time);
CREATE INDEX ix_task_run__state_type_start_time_id ON task_run (state_type, start_time, id);
DROP INDEX ix_task_run__state_type_start_time;
CREATE INDEX ix_task_run__history ON task_run (expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time);
CREATE INDEX ix_flow_run__work_queue_id_not_null ON flow_run (work_queue_id) WHERE work_queue_id IS NOT NULL;
--rollback DROP INDEX ix_flow_run__work_queue_id_not_null;
--rollback DROP INDEX ix_task_run__history;
--rollback CREATE INDEX ix_task_run__state_type_start_time ON task_run (state_type, start_time);
--rollback DROP INDEX ix_task_run__state_type_start_time_id;
--rollback DROP INDEX ix_flow_run__history;
--rollback DROP INDEX ix_flow_run__start_or_expected_desc_id;
--rollback DROP INDEX ix_flow_run__state_type_expected_start_time;
