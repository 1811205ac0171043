--liquibase formatted sql

-- r0008: the subflows of a run (issue 17). A run's page lists the flow runs whose parent task is one
-- of its task runs; the index on parent_task_run_id is almost all NULLs, so its statistics told the
-- planner each value matches every run, and it walked all runs in page order instead (3 s at a
-- million runs). On the runs that have a parent only, the index's statistics are true.

--changeset openprefect:r0008-postgresql dbms:postgresql
--comment: the subflows of a run, by their parent task
CREATE INDEX ix_flow_run__parent_task_run_id_not_null ON flow_run (parent_task_run_id) WHERE parent_task_run_id IS NOT NULL;
--rollback DROP INDEX ix_flow_run__parent_task_run_id_not_null;

--changeset openprefect:r0008-sqlite dbms:sqlite
--comment: the subflows of a run, by their parent task
CREATE INDEX ix_flow_run__parent_task_run_id_not_null ON flow_run (parent_task_run_id) WHERE parent_task_run_id IS NOT NULL;
--rollback DROP INDEX ix_flow_run__parent_task_run_id_not_null;
