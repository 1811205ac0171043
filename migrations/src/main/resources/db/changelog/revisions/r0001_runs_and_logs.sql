--liquibase formatted sql

-- r0001: what a flow run leaves behind: flows, flow runs, task runs, their states, inputs, logs, artifacts;
-- plus the server's own tables (configuration, csrf_token, saved_search).

--changeset openprefect:r0001-postgresql dbms:postgresql
--comment: flows, flow and task runs with their states, logs, artifacts, server configuration
CREATE TABLE configuration (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    key VARCHAR NOT NULL,
    value JSONB NOT NULL,
    CONSTRAINT pk_configuration PRIMARY KEY (id),
    CONSTRAINT uq_configuration__key UNIQUE (key)
);
CREATE INDEX ix_configuration__updated ON configuration (updated);

CREATE TABLE csrf_token (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    token VARCHAR NOT NULL,
    client VARCHAR NOT NULL,
    expiration TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_csrf_token PRIMARY KEY (id),
    CONSTRAINT uq_csrf_token__client UNIQUE (client)
);
CREATE INDEX ix_csrf_token__updated ON csrf_token (updated);

CREATE TABLE saved_search (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    filters JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT pk_saved_search PRIMARY KEY (id),
    CONSTRAINT uq_saved_search__name UNIQUE (name)
);
CREATE INDEX ix_saved_search__updated ON saved_search (updated);

CREATE TABLE flow (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    tags JSONB NOT NULL DEFAULT '[]',
    labels JSONB,
    CONSTRAINT pk_flow PRIMARY KEY (id),
    CONSTRAINT uq_flow__name UNIQUE (name)
);
CREATE INDEX ix_flow__created ON flow (created);
CREATE INDEX ix_flow__updated ON flow (updated);

CREATE TABLE artifact (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    key VARCHAR,
    type VARCHAR,
    data JSONB,
    description VARCHAR,
    metadata_ JSONB,
    flow_run_id UUID,
    task_run_id UUID,
    CONSTRAINT pk_artifact PRIMARY KEY (id)
);
CREATE INDEX ix_artifact__updated ON artifact (updated);
CREATE INDEX ix_artifact__key ON artifact (key);
CREATE INDEX ix_artifact__key_created_desc ON artifact (key, created DESC) INCLUDE (id, updated, type, task_run_id, flow_run_id);
CREATE INDEX ix_artifact__flow_run_id ON artifact (flow_run_id);
CREATE INDEX ix_artifact__task_run_id ON artifact (task_run_id);

CREATE TABLE artifact_collection (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    key VARCHAR NOT NULL,
    latest_id UUID NOT NULL,
    type VARCHAR,
    data JSONB,
    description VARCHAR,
    metadata_ JSONB,
    flow_run_id UUID,
    task_run_id UUID,
    CONSTRAINT pk_artifact_collection PRIMARY KEY (id),
    CONSTRAINT uq_artifact_collection__key UNIQUE (key)
);
CREATE INDEX ix_artifact_collection__updated ON artifact_collection (updated);
CREATE INDEX ix_artifact_collection__key_latest_id ON artifact_collection (key, latest_id);

CREATE TABLE flow_run (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    flow_id UUID NOT NULL,
    state_id UUID,
    deployment_id UUID,
    deployment_version VARCHAR,
    work_queue_id UUID,
    work_queue_name VARCHAR,
    flow_version VARCHAR,
    parameters JSONB NOT NULL DEFAULT '{}',
    idempotency_key VARCHAR,
    context JSONB NOT NULL DEFAULT '{}',
    empirical_policy JSONB NOT NULL DEFAULT '{}',
    tags JSONB NOT NULL DEFAULT '[]',
    labels JSONB,
    created_by JSONB,
    infrastructure_pid VARCHAR,
    job_variables JSONB DEFAULT '{}',
    infrastructure_document_id UUID,
    parent_task_run_id UUID,
    auto_scheduled BOOLEAN NOT NULL DEFAULT false,
    state_type VARCHAR,
    state_name VARCHAR,
    state_timestamp TIMESTAMP WITH TIME ZONE,
    run_count INTEGER NOT NULL DEFAULT 0,
    expected_start_time TIMESTAMP WITH TIME ZONE,
    next_scheduled_start_time TIMESTAMP WITH TIME ZONE,
    start_time TIMESTAMP WITH TIME ZONE,
    end_time TIMESTAMP WITH TIME ZONE,
    total_run_time INTERVAL NOT NULL DEFAULT '0',
    CONSTRAINT pk_flow_run PRIMARY KEY (id),
    CONSTRAINT fk_flow_run__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE,
    CONSTRAINT uq_flow_run__flow_id_idempotency_key UNIQUE (flow_id, idempotency_key)
);
CREATE INDEX ix_flow_run__updated ON flow_run (updated);
CREATE INDEX ix_flow_run__flow_id ON flow_run (flow_id);
CREATE INDEX ix_flow_run__deployment_id ON flow_run (deployment_id);
CREATE INDEX ix_flow_run__work_queue_id ON flow_run (work_queue_id);
CREATE INDEX ix_flow_run__work_queue_name ON flow_run (work_queue_name);
CREATE INDEX ix_flow_run__flow_version ON flow_run (flow_version);
CREATE INDEX ix_flow_run__deployment_version ON flow_run (deployment_version);
CREATE INDEX ix_flow_run__name ON flow_run (name);
CREATE INDEX ix_flow_run__parent_task_run_id ON flow_run (parent_task_run_id);
CREATE INDEX ix_flow_run__state_id ON flow_run (state_id);
CREATE INDEX ix_flow_run__infrastructure_document_id ON flow_run (infrastructure_document_id);
CREATE INDEX ix_flow_run__state_type ON flow_run (state_type);
CREATE INDEX ix_flow_run__state_name ON flow_run (state_name);
CREATE INDEX ix_flow_run__state_timestamp ON flow_run (state_timestamp);
CREATE INDEX ix_flow_run__start_time ON flow_run (start_time);
CREATE INDEX ix_flow_run__end_time_desc ON flow_run (end_time DESC);
CREATE INDEX ix_flow_run__expected_start_time_desc ON flow_run (expected_start_time DESC);
CREATE INDEX ix_flow_run__next_scheduled_start_time_asc ON flow_run (next_scheduled_start_time ASC);
CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc ON flow_run (coalesce(start_time, expected_start_time) ASC);
CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc ON flow_run (coalesce(start_time, expected_start_time) DESC);
CREATE INDEX ix_flow_run__scheduler_deployment_id_auto_scheduled_next_scheduled_start_time ON flow_run (deployment_id, auto_scheduled, next_scheduled_start_time) WHERE state_type = 'SCHEDULED';
CREATE INDEX ix_flow_run__schedule_id_scheduler ON flow_run (deployment_id, (created_by ->> 'id'), next_scheduled_start_time) WHERE state_type = 'SCHEDULED' AND auto_scheduled;

CREATE TABLE flow_run_state (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    type VARCHAR NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    message VARCHAR,
    state_details JSONB NOT NULL DEFAULT '{}',
    data JSONB,
    flow_run_id UUID NOT NULL,
    result_artifact_id UUID,
    CONSTRAINT pk_flow_run_state PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_state__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_flow_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
);
CREATE INDEX ix_flow_run_state__updated ON flow_run_state (updated);
CREATE INDEX ix_flow_run_state__type ON flow_run_state (type);
CREATE INDEX ix_flow_run_state__name ON flow_run_state (name);
CREATE INDEX ix_flow_run_state__result_artifact_id ON flow_run_state (result_artifact_id);
CREATE UNIQUE INDEX uq_flow_run_state__flow_run_id_timestamp_desc ON flow_run_state (flow_run_id, timestamp DESC);

CREATE TABLE task_run (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    flow_run_id UUID,
    task_key VARCHAR NOT NULL,
    dynamic_key VARCHAR NOT NULL,
    cache_key VARCHAR,
    cache_expiration TIMESTAMP WITH TIME ZONE,
    task_version VARCHAR,
    flow_run_run_count INTEGER NOT NULL DEFAULT 0,
    empirical_policy JSONB NOT NULL DEFAULT '{}',
    task_inputs JSONB NOT NULL DEFAULT '{}',
    tags JSONB NOT NULL DEFAULT '[]',
    labels JSONB,
    state_id UUID,
    state_type VARCHAR,
    state_name VARCHAR,
    state_timestamp TIMESTAMP WITH TIME ZONE,
    run_count INTEGER NOT NULL DEFAULT 0,
    expected_start_time TIMESTAMP WITH TIME ZONE,
    next_scheduled_start_time TIMESTAMP WITH TIME ZONE,
    start_time TIMESTAMP WITH TIME ZONE,
    end_time TIMESTAMP WITH TIME ZONE,
    total_run_time INTERVAL NOT NULL DEFAULT '0',
    CONSTRAINT pk_task_run PRIMARY KEY (id),
    CONSTRAINT fk_task_run__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT uq_task_run__flow_run_id_task_key_dynamic_key UNIQUE (flow_run_id, task_key, dynamic_key)
);
CREATE INDEX ix_task_run__updated ON task_run (updated);
CREATE INDEX ix_task_run__flow_run_id ON task_run (flow_run_id);
CREATE INDEX ix_task_run__state_id ON task_run (state_id);
CREATE INDEX ix_task_run__state_type ON task_run (state_type);
CREATE INDEX ix_task_run__state_type_start_time ON task_run (state_type, start_time);
CREATE INDEX ix_task_run__state_name ON task_run (state_name);
CREATE INDEX ix_task_run__state_timestamp ON task_run (state_timestamp);
CREATE INDEX ix_task_run__start_time ON task_run (start_time);
CREATE INDEX ix_task_run__end_time_desc ON task_run (end_time DESC);
CREATE INDEX ix_task_run__expected_start_time_desc ON task_run (expected_start_time DESC);
CREATE INDEX ix_task_run__next_scheduled_start_time_asc ON task_run (next_scheduled_start_time ASC);
CREATE INDEX ix_task_run__name ON task_run (name);

CREATE TABLE task_run_state (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    type VARCHAR NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    message VARCHAR,
    state_details JSONB NOT NULL DEFAULT '{}',
    data JSONB,
    task_run_id UUID NOT NULL,
    result_artifact_id UUID,
    CONSTRAINT pk_task_run_state PRIMARY KEY (id),
    CONSTRAINT fk_task_run_state__task_run_id__task_run FOREIGN KEY (task_run_id) REFERENCES task_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
);
CREATE INDEX ix_task_run_state__updated ON task_run_state (updated);
CREATE INDEX ix_task_run_state__type ON task_run_state (type);
CREATE INDEX ix_task_run_state__name ON task_run_state (name);
CREATE INDEX ix_task_run_state__result_artifact_id ON task_run_state (result_artifact_id);
CREATE UNIQUE INDEX uq_task_run_state__task_run_id_timestamp_desc ON task_run_state (task_run_id, timestamp DESC);

CREATE TABLE task_run_state_cache (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    cache_key VARCHAR NOT NULL,
    cache_expiration TIMESTAMP WITH TIME ZONE,
    task_run_state_id UUID NOT NULL,
    CONSTRAINT pk_task_run_state_cache PRIMARY KEY (id)
);
CREATE INDEX ix_task_run_state_cache__updated ON task_run_state_cache (updated);
CREATE INDEX ix_task_run_state_cache__cache_key_created_desc ON task_run_state_cache (cache_key, created DESC);

CREATE TABLE flow_run_input (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    flow_run_id UUID NOT NULL,
    key VARCHAR NOT NULL,
    value TEXT NOT NULL,
    sender VARCHAR,
    CONSTRAINT pk_flow_run_input PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_input__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT uq_flow_run_input__flow_run_id_key UNIQUE (flow_run_id, key)
);
CREATE INDEX ix_flow_run_input__updated ON flow_run_input (updated);

CREATE TABLE log (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    level SMALLINT NOT NULL,
    flow_run_id UUID,
    task_run_id UUID,
    message TEXT NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_log PRIMARY KEY (id)
);
CREATE INDEX ix_log__updated ON log (updated);
CREATE INDEX ix_log__level ON log (level);
CREATE INDEX ix_log__flow_run_id ON log (flow_run_id);
CREATE INDEX ix_log__task_run_id ON log (task_run_id);
CREATE INDEX ix_log__timestamp ON log (timestamp);
CREATE INDEX ix_log__flow_run_id_timestamp ON log (flow_run_id, timestamp);

ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__state_id__flow_run_state FOREIGN KEY (state_id) REFERENCES flow_run_state (id) ON DELETE SET NULL;
ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__parent_task_run_id__task_run FOREIGN KEY (parent_task_run_id) REFERENCES task_run (id) ON DELETE SET NULL;
--rollback ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__parent_task_run_id__task_run;
--rollback ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__state_id__flow_run_state;
--rollback DROP TABLE log;
--rollback DROP TABLE flow_run_input;
--rollback DROP TABLE task_run_state_cache;
--rollback DROP TABLE task_run_state;
--rollback DROP TABLE task_run;
--rollback DROP TABLE flow_run_state;
--rollback DROP TABLE flow_run;
--rollback DROP TABLE artifact_collection;
--rollback DROP TABLE artifact;
--rollback DROP TABLE flow;
--rollback DROP TABLE saved_search;
--rollback DROP TABLE csrf_token;
--rollback DROP TABLE configuration;

--changeset openprefect:r0001-sqlite dbms:sqlite
--comment: flows, flow and task runs with their states, logs, artifacts, server configuration
CREATE TABLE configuration (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    key VARCHAR NOT NULL,
    value JSON NOT NULL,
    CONSTRAINT pk_configuration PRIMARY KEY (id),
    CONSTRAINT uq_configuration__key UNIQUE (key)
);
CREATE INDEX ix_configuration__updated ON configuration (updated);

CREATE TABLE csrf_token (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    token VARCHAR NOT NULL,
    client VARCHAR NOT NULL,
    expiration TIMESTAMP NOT NULL,
    CONSTRAINT pk_csrf_token PRIMARY KEY (id),
    CONSTRAINT uq_csrf_token__client UNIQUE (client)
);
CREATE INDEX ix_csrf_token__updated ON csrf_token (updated);

CREATE TABLE saved_search (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    filters JSON NOT NULL DEFAULT '[]',
    CONSTRAINT pk_saved_search PRIMARY KEY (id),
    CONSTRAINT uq_saved_search__name UNIQUE (name)
);
CREATE INDEX ix_saved_search__updated ON saved_search (updated);

CREATE TABLE flow (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    tags JSON NOT NULL DEFAULT '[]',
    labels JSON,
    CONSTRAINT pk_flow PRIMARY KEY (id),
    CONSTRAINT uq_flow__name UNIQUE (name)
);
CREATE INDEX ix_flow__created ON flow (created);
CREATE INDEX ix_flow__updated ON flow (updated);

CREATE TABLE artifact (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    key VARCHAR,
    type VARCHAR,
    data JSON,
    description VARCHAR,
    metadata_ JSON,
    flow_run_id CHAR(36),
    task_run_id CHAR(36),
    CONSTRAINT pk_artifact PRIMARY KEY (id)
);
CREATE INDEX ix_artifact__updated ON artifact (updated);
CREATE INDEX ix_artifact__key ON artifact (key);
CREATE INDEX ix_artifact__key_created_desc ON artifact (key, created DESC);
CREATE INDEX ix_artifact__flow_run_id ON artifact (flow_run_id);
CREATE INDEX ix_artifact__task_run_id ON artifact (task_run_id);

CREATE TABLE artifact_collection (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    key VARCHAR NOT NULL,
    latest_id CHAR(36) NOT NULL,
    type VARCHAR,
    data JSON,
    description VARCHAR,
    metadata_ JSON,
    flow_run_id CHAR(36),
    task_run_id CHAR(36),
    CONSTRAINT pk_artifact_collection PRIMARY KEY (id),
    CONSTRAINT uq_artifact_collection__key UNIQUE (key)
);
CREATE INDEX ix_artifact_collection__updated ON artifact_collection (updated);
CREATE INDEX ix_artifact_collection__key_latest_id ON artifact_collection (key, latest_id);

CREATE TABLE flow_run (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    flow_id CHAR(36) NOT NULL,
    state_id CHAR(36),
    deployment_id CHAR(36),
    deployment_version VARCHAR,
    work_queue_id CHAR(36),
    work_queue_name VARCHAR,
    flow_version VARCHAR,
    parameters JSON NOT NULL DEFAULT '{}',
    idempotency_key VARCHAR,
    context JSON NOT NULL DEFAULT '{}',
    empirical_policy JSON NOT NULL DEFAULT '{}',
    tags JSON NOT NULL DEFAULT '[]',
    labels JSON,
    created_by JSON,
    infrastructure_pid VARCHAR,
    job_variables JSON DEFAULT '{}',
    infrastructure_document_id CHAR(36),
    parent_task_run_id CHAR(36),
    auto_scheduled BOOLEAN NOT NULL DEFAULT 0,
    state_type VARCHAR,
    state_name VARCHAR,
    state_timestamp TIMESTAMP,
    run_count INTEGER NOT NULL DEFAULT 0,
    expected_start_time TIMESTAMP,
    next_scheduled_start_time TIMESTAMP,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    total_run_time REAL NOT NULL DEFAULT 0,
    CONSTRAINT pk_flow_run PRIMARY KEY (id),
    CONSTRAINT fk_flow_run__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE,
    CONSTRAINT uq_flow_run__flow_id_idempotency_key UNIQUE (flow_id, idempotency_key),
    CONSTRAINT fk_flow_run__state_id__flow_run_state FOREIGN KEY (state_id) REFERENCES flow_run_state (id) ON DELETE SET NULL,
    CONSTRAINT fk_flow_run__parent_task_run_id__task_run FOREIGN KEY (parent_task_run_id) REFERENCES task_run (id) ON DELETE SET NULL
);
CREATE INDEX ix_flow_run__updated ON flow_run (updated);
CREATE INDEX ix_flow_run__flow_id ON flow_run (flow_id);
CREATE INDEX ix_flow_run__deployment_id ON flow_run (deployment_id);
CREATE INDEX ix_flow_run__work_queue_id ON flow_run (work_queue_id);
CREATE INDEX ix_flow_run__work_queue_name ON flow_run (work_queue_name);
CREATE INDEX ix_flow_run__flow_version ON flow_run (flow_version);
CREATE INDEX ix_flow_run__deployment_version ON flow_run (deployment_version);
CREATE INDEX ix_flow_run__name ON flow_run (name);
CREATE INDEX ix_flow_run__parent_task_run_id ON flow_run (parent_task_run_id);
CREATE INDEX ix_flow_run__state_id ON flow_run (state_id);
CREATE INDEX ix_flow_run__infrastructure_document_id ON flow_run (infrastructure_document_id);
CREATE INDEX ix_flow_run__state_type ON flow_run (state_type);
CREATE INDEX ix_flow_run__state_name ON flow_run (state_name);
CREATE INDEX ix_flow_run__state_timestamp ON flow_run (state_timestamp);
CREATE INDEX ix_flow_run__start_time ON flow_run (start_time);
CREATE INDEX ix_flow_run__end_time_desc ON flow_run (end_time DESC);
CREATE INDEX ix_flow_run__expected_start_time_desc ON flow_run (expected_start_time DESC);
CREATE INDEX ix_flow_run__next_scheduled_start_time_asc ON flow_run (next_scheduled_start_time ASC);
CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc ON flow_run (coalesce(start_time, expected_start_time) ASC);
CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc ON flow_run (coalesce(start_time, expected_start_time) DESC);
CREATE INDEX ix_flow_run__scheduler_deployment_id_auto_scheduled_next_scheduled_start_time ON flow_run (deployment_id, auto_scheduled, next_scheduled_start_time) WHERE state_type = 'SCHEDULED';
CREATE INDEX ix_flow_run__schedule_id_scheduler ON flow_run (deployment_id, json_extract(created_by, '$.id'), next_scheduled_start_time) WHERE state_type = 'SCHEDULED' AND auto_scheduled;

CREATE TABLE flow_run_state (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    type VARCHAR NOT NULL,
    timestamp TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    message VARCHAR,
    state_details JSON NOT NULL DEFAULT '{}',
    data JSON,
    flow_run_id CHAR(36) NOT NULL,
    result_artifact_id CHAR(36),
    CONSTRAINT pk_flow_run_state PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_state__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_flow_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
);
CREATE INDEX ix_flow_run_state__updated ON flow_run_state (updated);
CREATE INDEX ix_flow_run_state__type ON flow_run_state (type);
CREATE INDEX ix_flow_run_state__name ON flow_run_state (name);
CREATE INDEX ix_flow_run_state__result_artifact_id ON flow_run_state (result_artifact_id);
CREATE UNIQUE INDEX uq_flow_run_state__flow_run_id_timestamp_desc ON flow_run_state (flow_run_id, timestamp DESC);

CREATE TABLE task_run (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    flow_run_id CHAR(36),
    task_key VARCHAR NOT NULL,
    dynamic_key VARCHAR NOT NULL,
    cache_key VARCHAR,
    cache_expiration TIMESTAMP,
    task_version VARCHAR,
    flow_run_run_count INTEGER NOT NULL DEFAULT 0,
    empirical_policy JSON NOT NULL DEFAULT '{}',
    task_inputs JSON NOT NULL DEFAULT '{}',
    tags JSON NOT NULL DEFAULT '[]',
    labels JSON,
    state_id CHAR(36),
    state_type VARCHAR,
    state_name VARCHAR,
    state_timestamp TIMESTAMP,
    run_count INTEGER NOT NULL DEFAULT 0,
    expected_start_time TIMESTAMP,
    next_scheduled_start_time TIMESTAMP,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    total_run_time REAL NOT NULL DEFAULT 0,
    CONSTRAINT pk_task_run PRIMARY KEY (id),
    CONSTRAINT fk_task_run__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT uq_task_run__flow_run_id_task_key_dynamic_key UNIQUE (flow_run_id, task_key, dynamic_key)
);
CREATE INDEX ix_task_run__updated ON task_run (updated);
CREATE INDEX ix_task_run__flow_run_id ON task_run (flow_run_id);
CREATE INDEX ix_task_run__state_id ON task_run (state_id);
CREATE INDEX ix_task_run__state_type ON task_run (state_type);
CREATE INDEX ix_task_run__state_type_start_time ON task_run (state_type, start_time);
CREATE INDEX ix_task_run__state_name ON task_run (state_name);
CREATE INDEX ix_task_run__state_timestamp ON task_run (state_timestamp);
CREATE INDEX ix_task_run__start_time ON task_run (start_time);
CREATE INDEX ix_task_run__end_time_desc ON task_run (end_time DESC);
CREATE INDEX ix_task_run__expected_start_time_desc ON task_run (expected_start_time DESC);
CREATE INDEX ix_task_run__next_scheduled_start_time_asc ON task_run (next_scheduled_start_time ASC);
CREATE INDEX ix_task_run__name ON task_run (name);

CREATE TABLE task_run_state (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    type VARCHAR NOT NULL,
    timestamp TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    message VARCHAR,
    state_details JSON NOT NULL DEFAULT '{}',
    data JSON,
    task_run_id CHAR(36) NOT NULL,
    result_artifact_id CHAR(36),
    CONSTRAINT pk_task_run_state PRIMARY KEY (id),
    CONSTRAINT fk_task_run_state__task_run_id__task_run FOREIGN KEY (task_run_id) REFERENCES task_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
);
CREATE INDEX ix_task_run_state__updated ON task_run_state (updated);
CREATE INDEX ix_task_run_state__type ON task_run_state (type);
CREATE INDEX ix_task_run_state__name ON task_run_state (name);
CREATE INDEX ix_task_run_state__result_artifact_id ON task_run_state (result_artifact_id);
CREATE UNIQUE INDEX uq_task_run_state__task_run_id_timestamp_desc ON task_run_state (task_run_id, timestamp DESC);

CREATE TABLE task_run_state_cache (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    cache_key VARCHAR NOT NULL,
    cache_expiration TIMESTAMP,
    task_run_state_id CHAR(36) NOT NULL,
    CONSTRAINT pk_task_run_state_cache PRIMARY KEY (id)
);
CREATE INDEX ix_task_run_state_cache__updated ON task_run_state_cache (updated);
CREATE INDEX ix_task_run_state_cache__cache_key_created_desc ON task_run_state_cache (cache_key, created DESC);

CREATE TABLE flow_run_input (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    flow_run_id CHAR(36) NOT NULL,
    key VARCHAR NOT NULL,
    value TEXT NOT NULL,
    sender VARCHAR,
    CONSTRAINT pk_flow_run_input PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_input__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT uq_flow_run_input__flow_run_id_key UNIQUE (flow_run_id, key)
);
CREATE INDEX ix_flow_run_input__updated ON flow_run_input (updated);

CREATE TABLE log (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    level SMALLINT NOT NULL,
    flow_run_id CHAR(36),
    task_run_id CHAR(36),
    message TEXT NOT NULL,
    timestamp TIMESTAMP NOT NULL,
    CONSTRAINT pk_log PRIMARY KEY (id)
);
CREATE INDEX ix_log__updated ON log (updated);
CREATE INDEX ix_log__level ON log (level);
CREATE INDEX ix_log__flow_run_id ON log (flow_run_id);
CREATE INDEX ix_log__task_run_id ON log (task_run_id);
CREATE INDEX ix_log__timestamp ON log (timestamp);
CREATE INDEX ix_log__flow_run_id_timestamp ON log (flow_run_id, timestamp);
--rollback DROP TABLE log;
--rollback DROP TABLE flow_run_input;
--rollback DROP TABLE task_run_state_cache;
--rollback DROP TABLE task_run_state;
--rollback DROP TABLE task_run;
--rollback DROP TABLE flow_run_state;
--rollback DROP TABLE flow_run;
--rollback DROP TABLE artifact_collection;
--rollback DROP TABLE artifact;
--rollback DROP TABLE flow;
--rollback DROP TABLE saved_search;
--rollback DROP TABLE csrf_token;
--rollback DROP TABLE configuration;

