--liquibase formatted sql

-- r0009: runs counted ahead of time (issue 16). The UI's dashboard and runs pages count and chart
-- the runs of a day or a week by state; at a million runs that reads up to 2.7 million index entries
-- per call (0.2-1 s). Here every change to a run's state or times is recorded by a trigger as a
-- row of run_rollup_delta (its values before, sign -1, and after, sign +1), whatever code made the
-- change; the server folds those rows every few seconds into run_rollup: one row per kind of run,
-- minute of expected start, minute of start, state type and name, with the count and the sums the
-- history's estimates need. Reads add the rollup's rows and the not yet folded deltas in one
-- statement, so they are exact. Inserting a delta never waits for another transaction (no row is
-- updated in place), so concurrent writers on PostgreSQL do not queue on a hot counter.
-- The existing runs are copied into run_rollup_delta here (one row per run); the server folds them
-- after its start, in batches.

--changeset openprefect:r0009-postgresql dbms:postgresql splitStatements:false
--comment: runs counted by minute and state, kept by triggers
CREATE TABLE run_rollup (
    kind VARCHAR NOT NULL,
    start_minute BIGINT NOT NULL,
    expected_minute BIGINT NOT NULL,
    state_type VARCHAR NOT NULL,
    state_name VARCHAR NOT NULL,
    runs BIGINT NOT NULL,
    run_time DOUBLE PRECISION NOT NULL,
    running BIGINT NOT NULL,
    running_since DOUBLE PRECISION NOT NULL,
    lateness DOUBLE PRECISION NOT NULL,
    due BIGINT NOT NULL,
    due_since DOUBLE PRECISION NOT NULL,
    CONSTRAINT pk_run_rollup PRIMARY KEY (kind, start_minute, expected_minute, state_type, state_name)
);
CREATE INDEX ix_run_rollup__expected_minute ON run_rollup (kind, expected_minute);
CREATE INDEX ix_run_rollup__empty ON run_rollup (kind) WHERE runs = 0;
CREATE TABLE run_rollup_delta (
    id BIGSERIAL NOT NULL,
    kind VARCHAR NOT NULL,
    sign SMALLINT NOT NULL,
    expected_start_time TIMESTAMP WITH TIME ZONE,
    start_time TIMESTAMP WITH TIME ZONE,
    state_type VARCHAR,
    state_name VARCHAR,
    state_timestamp TIMESTAMP WITH TIME ZONE,
    total_run_time INTERVAL NOT NULL,
    CONSTRAINT pk_run_rollup_delta PRIMARY KEY (id)
);
CREATE FUNCTION run_rollup_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
        VALUES (TG_TABLE_NAME, -1, OLD.expected_start_time, OLD.start_time, OLD.state_type, OLD.state_name, OLD.state_timestamp, OLD.total_run_time);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
        VALUES (TG_TABLE_NAME, 1, NEW.expected_start_time, NEW.start_time, NEW.state_type, NEW.state_name, NEW.state_timestamp, NEW.total_run_time);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tr_flow_run__rollup AFTER INSERT OR DELETE ON flow_run FOR EACH ROW EXECUTE FUNCTION run_rollup_record();
CREATE TRIGGER tr_flow_run__rollup_update AFTER UPDATE ON flow_run FOR EACH ROW
WHEN (OLD.state_type IS DISTINCT FROM NEW.state_type OR OLD.state_name IS DISTINCT FROM NEW.state_name
      OR OLD.state_timestamp IS DISTINCT FROM NEW.state_timestamp OR OLD.expected_start_time IS DISTINCT FROM NEW.expected_start_time
      OR OLD.start_time IS DISTINCT FROM NEW.start_time OR OLD.total_run_time IS DISTINCT FROM NEW.total_run_time)
EXECUTE FUNCTION run_rollup_record();
CREATE TRIGGER tr_task_run__rollup AFTER INSERT OR DELETE ON task_run FOR EACH ROW EXECUTE FUNCTION run_rollup_record();
CREATE TRIGGER tr_task_run__rollup_update AFTER UPDATE ON task_run FOR EACH ROW
WHEN (OLD.state_type IS DISTINCT FROM NEW.state_type OR OLD.state_name IS DISTINCT FROM NEW.state_name
      OR OLD.state_timestamp IS DISTINCT FROM NEW.state_timestamp OR OLD.expected_start_time IS DISTINCT FROM NEW.expected_start_time
      OR OLD.start_time IS DISTINCT FROM NEW.start_time OR OLD.total_run_time IS DISTINCT FROM NEW.total_run_time)
EXECUTE FUNCTION run_rollup_record();
INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
SELECT 'flow_run', 1, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time FROM flow_run;
INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
SELECT 'task_run', 1, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time FROM task_run;
--rollback DROP TRIGGER tr_task_run__rollup_update ON task_run;
--rollback DROP TRIGGER tr_task_run__rollup ON task_run;
--rollback DROP TRIGGER tr_flow_run__rollup_update ON flow_run;
--rollback DROP TRIGGER tr_flow_run__rollup ON flow_run;
--rollback DROP FUNCTION run_rollup_record();
--rollback DROP TABLE run_rollup_delta;
--rollback DROP TABLE run_rollup;

--changeset openprefect:r0009-sqlite dbms:sqlite
--comment: runs counted by minute and state, kept by triggers
CREATE TABLE run_rollup (
    kind VARCHAR NOT NULL,
    start_minute INTEGER NOT NULL,
    expected_minute INTEGER NOT NULL,
    state_type VARCHAR NOT NULL,
    state_name VARCHAR NOT NULL,
    runs INTEGER NOT NULL,
    run_time REAL NOT NULL,
    running INTEGER NOT NULL,
    running_since REAL NOT NULL,
    lateness REAL NOT NULL,
    due INTEGER NOT NULL,
    due_since REAL NOT NULL,
    CONSTRAINT pk_run_rollup PRIMARY KEY (kind, start_minute, expected_minute, state_type, state_name)
);
CREATE INDEX ix_run_rollup__expected_minute ON run_rollup (kind, expected_minute);
CREATE INDEX ix_run_rollup__empty ON run_rollup (kind) WHERE runs = 0;
CREATE TABLE run_rollup_delta (
    id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    sign INTEGER NOT NULL,
    expected_start_time TIMESTAMP,
    start_time TIMESTAMP,
    state_type VARCHAR,
    state_name VARCHAR,
    state_timestamp TIMESTAMP,
    total_run_time REAL NOT NULL,
    CONSTRAINT pk_run_rollup_delta PRIMARY KEY (id)
);
CREATE TRIGGER tr_flow_run__rollup_insert AFTER INSERT ON flow_run
BEGIN INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
VALUES ('flow_run', 1, NEW.expected_start_time, NEW.start_time, NEW.state_type, NEW.state_name, NEW.state_timestamp, NEW.total_run_time); END;
CREATE TRIGGER tr_flow_run__rollup_delete AFTER DELETE ON flow_run
BEGIN INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
VALUES ('flow_run', -1, OLD.expected_start_time, OLD.start_time, OLD.state_type, OLD.state_name, OLD.state_timestamp, OLD.total_run_time); END;
CREATE TRIGGER tr_flow_run__rollup_update AFTER UPDATE OF state_type, state_name, state_timestamp, expected_start_time, start_time, total_run_time ON flow_run
WHEN OLD.state_type IS NOT NEW.state_type OR OLD.state_name IS NOT NEW.state_name OR OLD.state_timestamp IS NOT NEW.state_timestamp
     OR OLD.expected_start_time IS NOT NEW.expected_start_time OR OLD.start_time IS NOT NEW.start_time OR OLD.total_run_time IS NOT NEW.total_run_time
BEGIN INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
VALUES ('flow_run', -1, OLD.expected_start_time, OLD.start_time, OLD.state_type, OLD.state_name, OLD.state_timestamp, OLD.total_run_time),
       ('flow_run', 1, NEW.expected_start_time, NEW.start_time, NEW.state_type, NEW.state_name, NEW.state_timestamp, NEW.total_run_time); END;
CREATE TRIGGER tr_task_run__rollup_insert AFTER INSERT ON task_run
BEGIN INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
VALUES ('task_run', 1, NEW.expected_start_time, NEW.start_time, NEW.state_type, NEW.state_name, NEW.state_timestamp, NEW.total_run_time); END;
CREATE TRIGGER tr_task_run__rollup_delete AFTER DELETE ON task_run
BEGIN INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
VALUES ('task_run', -1, OLD.expected_start_time, OLD.start_time, OLD.state_type, OLD.state_name, OLD.state_timestamp, OLD.total_run_time); END;
CREATE TRIGGER tr_task_run__rollup_update AFTER UPDATE OF state_type, state_name, state_timestamp, expected_start_time, start_time, total_run_time ON task_run
WHEN OLD.state_type IS NOT NEW.state_type OR OLD.state_name IS NOT NEW.state_name OR OLD.state_timestamp IS NOT NEW.state_timestamp
     OR OLD.expected_start_time IS NOT NEW.expected_start_time OR OLD.start_time IS NOT NEW.start_time OR OLD.total_run_time IS NOT NEW.total_run_time
BEGIN INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
VALUES ('task_run', -1, OLD.expected_start_time, OLD.start_time, OLD.state_type, OLD.state_name, OLD.state_timestamp, OLD.total_run_time),
       ('task_run', 1, NEW.expected_start_time, NEW.start_time, NEW.state_type, NEW.state_name, NEW.state_timestamp, NEW.total_run_time); END;
INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
SELECT 'flow_run', 1, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time FROM flow_run;
INSERT INTO run_rollup_delta (kind, sign, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time)
SELECT 'task_run', 1, expected_start_time, start_time, state_type, state_name, state_timestamp, total_run_time FROM task_run;
--rollback DROP TRIGGER tr_task_run__rollup_update;
--rollback DROP TRIGGER tr_task_run__rollup_delete;
--rollback DROP TRIGGER tr_task_run__rollup_insert;
--rollback DROP TRIGGER tr_flow_run__rollup_update;
--rollback DROP TRIGGER tr_flow_run__rollup_delete;
--rollback DROP TRIGGER tr_flow_run__rollup_insert;
--rollback DROP TABLE run_rollup_delta;
--rollback DROP TABLE run_rollup;
