--liquibase formatted sql

-- r0004 (PostgreSQL only): trigram indexes that make the API's `like_` name filters fast.
-- Needs the pg_trgm extension; the migrator checks for it before running anything and tells the
-- operator what to ask their DBA for when it cannot be created. SQLite has no equivalent.

--changeset openprefect:r0004-postgresql dbms:postgresql
--comment: trigram indexes for name search (pg_trgm)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX trgm_ix_flow_name ON flow USING gin (name gin_trgm_ops);
CREATE INDEX trgm_ix_flow_run_name ON flow_run USING gin (name gin_trgm_ops);
CREATE INDEX trgm_ix_task_run_name ON task_run USING gin (name gin_trgm_ops);
CREATE INDEX trgm_ix_deployment_name ON deployment USING gin (name gin_trgm_ops);
CREATE INDEX trgm_ix_work_queue_name ON work_queue USING gin (name gin_trgm_ops);
CREATE INDEX trgm_ix_block_type_name ON block_type USING gin (name gin_trgm_ops);
CREATE INDEX trgm_ix_block_document_name ON block_document USING gin (name gin_trgm_ops);
--rollback DROP INDEX trgm_ix_block_document_name;
--rollback DROP INDEX trgm_ix_block_type_name;
--rollback DROP INDEX trgm_ix_work_queue_name;
--rollback DROP INDEX trgm_ix_deployment_name;
--rollback DROP INDEX trgm_ix_task_run_name;
--rollback DROP INDEX trgm_ix_flow_run_name;
--rollback DROP INDEX trgm_ix_flow_name;
