--liquibase formatted sql

-- r0002: what runs are launched from and limited by: deployments and schedules, work pools, queues,
-- workers, concurrency limits, blocks and variables.

--changeset openprefect:r0002-postgresql dbms:postgresql
--comment: deployments and schedules, work pools, queues and workers, concurrency limits, blocks, variables
CREATE TABLE work_pool (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    description VARCHAR,
    type VARCHAR NOT NULL,
    base_job_template JSONB NOT NULL DEFAULT '{}',
    is_paused BOOLEAN NOT NULL DEFAULT false,
    default_queue_id UUID,
    concurrency_limit INTEGER,
    status VARCHAR NOT NULL DEFAULT 'NOT_READY',
    last_transitioned_status_at TIMESTAMP WITH TIME ZONE,
    last_status_event_id UUID,
    storage_configuration JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT pk_work_pool PRIMARY KEY (id),
    CONSTRAINT uq_work_pool__name UNIQUE (name)
);
CREATE INDEX ix_work_pool__updated ON work_pool (updated);
CREATE INDEX ix_work_pool__type ON work_pool (type);

CREATE TABLE work_queue (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    is_paused BOOLEAN NOT NULL DEFAULT false,
    concurrency_limit INTEGER,
    priority INTEGER NOT NULL,
    filter JSONB,
    last_polled TIMESTAMP WITH TIME ZONE,
    status VARCHAR NOT NULL DEFAULT 'NOT_READY',
    work_pool_id UUID NOT NULL,
    CONSTRAINT pk_work_queue PRIMARY KEY (id),
    CONSTRAINT fk_work_queue__work_pool_id__work_pool FOREIGN KEY (work_pool_id) REFERENCES work_pool (id) ON DELETE CASCADE,
    CONSTRAINT uq_work_queue__work_pool_id_name UNIQUE (work_pool_id, name)
);
CREATE INDEX ix_work_queue__updated ON work_queue (updated);
CREATE INDEX ix_work_queue__work_pool_id_priority ON work_queue (work_pool_id, priority);

ALTER TABLE work_pool ADD CONSTRAINT fk_work_pool__default_queue_id__work_queue FOREIGN KEY (default_queue_id) REFERENCES work_queue (id) ON DELETE RESTRICT;

CREATE TABLE worker (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    work_pool_id UUID NOT NULL,
    name VARCHAR NOT NULL,
    last_heartbeat_time TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    heartbeat_interval_seconds INTEGER,
    status VARCHAR NOT NULL DEFAULT 'OFFLINE',
    CONSTRAINT pk_worker PRIMARY KEY (id),
    CONSTRAINT fk_worker__work_pool_id__work_pool FOREIGN KEY (work_pool_id) REFERENCES work_pool (id) ON DELETE CASCADE,
    CONSTRAINT uq_worker__work_pool_id_name UNIQUE (work_pool_id, name)
);
CREATE INDEX ix_worker__updated ON worker (updated);
CREATE INDEX ix_worker__work_pool_id_last_heartbeat_time ON worker (work_pool_id, last_heartbeat_time);

CREATE TABLE agent (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    work_queue_id UUID NOT NULL,
    last_activity_time TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    CONSTRAINT pk_agent PRIMARY KEY (id),
    CONSTRAINT fk_agent__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE CASCADE,
    CONSTRAINT uq_agent__name UNIQUE (name)
);
CREATE INDEX ix_agent__updated ON agent (updated);
CREATE INDEX ix_agent__work_queue_id ON agent (work_queue_id);

CREATE TABLE concurrency_limit (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    tag VARCHAR NOT NULL,
    concurrency_limit INTEGER NOT NULL,
    active_slots JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT pk_concurrency_limit PRIMARY KEY (id),
    CONSTRAINT uq_concurrency_limit__tag UNIQUE (tag)
);
CREATE INDEX ix_concurrency_limit__updated ON concurrency_limit (updated);

CREATE TABLE concurrency_limit_v2 (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    active BOOLEAN NOT NULL DEFAULT true,
    name VARCHAR NOT NULL,
    "limit" INTEGER NOT NULL,
    active_slots INTEGER NOT NULL DEFAULT 0,
    denied_slots INTEGER NOT NULL DEFAULT 0,
    slot_decay_per_second DOUBLE PRECISION NOT NULL DEFAULT 0,
    avg_slot_occupancy_seconds DOUBLE PRECISION NOT NULL DEFAULT 2.0,
    CONSTRAINT pk_concurrency_limit_v2 PRIMARY KEY (id),
    CONSTRAINT uq_concurrency_limit_v2__name UNIQUE (name)
);
CREATE INDEX ix_concurrency_limit_v2__updated ON concurrency_limit_v2 (updated);

CREATE TABLE block_type (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    slug VARCHAR NOT NULL,
    logo_url VARCHAR,
    documentation_url VARCHAR,
    description VARCHAR,
    code_example VARCHAR,
    is_protected BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT pk_block_type PRIMARY KEY (id),
    CONSTRAINT uq_block_type__slug UNIQUE (slug)
);
CREATE INDEX ix_block_type__updated ON block_type (updated);

CREATE TABLE block_schema (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    checksum VARCHAR NOT NULL,
    fields JSONB NOT NULL DEFAULT '{}',
    capabilities JSONB NOT NULL DEFAULT '[]',
    version VARCHAR NOT NULL DEFAULT 'non-versioned',
    block_type_id UUID NOT NULL,
    CONSTRAINT pk_block_schema PRIMARY KEY (id),
    CONSTRAINT fk_block_schema__block_type_id__block_type FOREIGN KEY (block_type_id) REFERENCES block_type (id) ON DELETE CASCADE,
    CONSTRAINT uq_block_schema__checksum_version UNIQUE (checksum, version)
);
CREATE INDEX ix_block_schema__updated ON block_schema (updated);
CREATE INDEX ix_block_schema__created ON block_schema (created);
CREATE INDEX ix_block_schema__block_type_id ON block_schema (block_type_id);
CREATE INDEX ix_block_schema__capabilities ON block_schema USING gin (capabilities);

CREATE TABLE block_schema_reference (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    parent_block_schema_id UUID NOT NULL,
    reference_block_schema_id UUID NOT NULL,
    CONSTRAINT pk_block_schema_reference PRIMARY KEY (id),
    CONSTRAINT fk_block_schema_reference__parent_block_schema_id__block_schema FOREIGN KEY (parent_block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_schema_reference__reference_block_schema_id__block_schema FOREIGN KEY (reference_block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE
);
CREATE INDEX ix_block_schema_reference__updated ON block_schema_reference (updated);

CREATE TABLE block_document (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    data JSONB NOT NULL DEFAULT '{}',
    is_anonymous BOOLEAN NOT NULL DEFAULT false,
    block_type_name VARCHAR,
    block_type_id UUID NOT NULL,
    block_schema_id UUID NOT NULL,
    CONSTRAINT pk_block_document PRIMARY KEY (id),
    CONSTRAINT fk_block_document__block_type_id__block_type FOREIGN KEY (block_type_id) REFERENCES block_type (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_document__block_schema_id__block_schema FOREIGN KEY (block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE,
    CONSTRAINT uq_block_document__block_type_id_name UNIQUE (block_type_id, name)
);
CREATE INDEX ix_block_document__updated ON block_document (updated);
CREATE INDEX ix_block_document__name ON block_document (name);
CREATE INDEX ix_block_document__is_anonymous ON block_document (is_anonymous);
CREATE INDEX ix_block_document__block_type_name_name ON block_document (block_type_name, name);

CREATE TABLE block_document_reference (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    parent_block_document_id UUID NOT NULL,
    reference_block_document_id UUID NOT NULL,
    CONSTRAINT pk_block_document_reference PRIMARY KEY (id),
    CONSTRAINT fk_block_document_reference__parent_block_document_id__block_document FOREIGN KEY (parent_block_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_document_reference__reference_block_document_id__block_document FOREIGN KEY (reference_block_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT ck_block_document_reference__not_self CHECK (parent_block_document_id <> reference_block_document_id)
);
CREATE INDEX ix_block_document_reference__updated ON block_document_reference (updated);

CREATE TABLE variable (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    value JSONB,
    tags JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT pk_variable PRIMARY KEY (id),
    CONSTRAINT uq_variable__name UNIQUE (name)
);
CREATE INDEX ix_variable__updated ON variable (updated);

CREATE TABLE deployment (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    version VARCHAR,
    description TEXT,
    flow_id UUID NOT NULL,
    paused BOOLEAN NOT NULL DEFAULT false,
    status VARCHAR NOT NULL DEFAULT 'NOT_READY',
    last_polled TIMESTAMP WITH TIME ZONE,
    work_queue_name VARCHAR,
    work_queue_id UUID,
    concurrency_limit INTEGER,
    concurrency_limit_id UUID,
    concurrency_options JSONB,
    tags JSONB NOT NULL DEFAULT '[]',
    labels JSONB,
    parameters JSONB NOT NULL DEFAULT '{}',
    parameter_openapi_schema JSONB,
    enforce_parameter_schema BOOLEAN NOT NULL DEFAULT true,
    pull_steps JSONB,
    path VARCHAR,
    entrypoint VARCHAR,
    infra_overrides JSONB NOT NULL DEFAULT '{}',
    created_by JSONB,
    updated_by JSONB,
    infrastructure_document_id UUID,
    storage_document_id UUID,
    CONSTRAINT pk_deployment PRIMARY KEY (id),
    CONSTRAINT fk_deployment__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL,
    CONSTRAINT fk_deployment__concurrency_limit_id__concurrency_limit_v2 FOREIGN KEY (concurrency_limit_id) REFERENCES concurrency_limit_v2 (id) ON DELETE SET NULL,
    CONSTRAINT fk_deployment__infrastructure_document_id__block_document FOREIGN KEY (infrastructure_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment__storage_document_id__block_document FOREIGN KEY (storage_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT uq_deployment__flow_id_name UNIQUE (flow_id, name)
);
CREATE INDEX ix_deployment__updated ON deployment (updated);
CREATE INDEX ix_deployment__created ON deployment (created);
CREATE INDEX ix_deployment__paused ON deployment (paused);
CREATE INDEX ix_deployment__work_queue_name ON deployment (work_queue_name);
CREATE INDEX ix_deployment__work_queue_id ON deployment (work_queue_id);
CREATE INDEX ix_deployment__flow_id ON deployment (flow_id);

CREATE TABLE deployment_schedule (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    deployment_id UUID NOT NULL,
    schedule JSONB NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    max_scheduled_runs INTEGER,
    parameters JSONB NOT NULL DEFAULT '{}',
    slug VARCHAR,
    CONSTRAINT pk_deployment_schedule PRIMARY KEY (id),
    CONSTRAINT fk_deployment_schedule__deployment_id__deployment FOREIGN KEY (deployment_id) REFERENCES deployment (id) ON DELETE CASCADE,
    CONSTRAINT uq_deployment_schedule__deployment_id_slug UNIQUE (deployment_id, slug)
);
CREATE INDEX ix_deployment_schedule__updated ON deployment_schedule (updated);
CREATE INDEX ix_deployment_schedule__deployment_id ON deployment_schedule (deployment_id);
CREATE INDEX ix_deployment_schedule__slug ON deployment_schedule (slug);

CREATE TABLE deployment_version (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    deployment_id UUID NOT NULL,
    branch VARCHAR,
    version_info JSONB NOT NULL DEFAULT '{}',
    description TEXT,
    tags JSONB NOT NULL DEFAULT '[]',
    labels JSONB,
    entrypoint VARCHAR,
    pull_steps JSONB,
    parameters JSONB NOT NULL DEFAULT '{}',
    parameter_openapi_schema JSONB,
    enforce_parameter_schema BOOLEAN NOT NULL DEFAULT true,
    work_queue_id UUID,
    work_queue_name VARCHAR,
    infra_overrides JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT pk_deployment_version PRIMARY KEY (id),
    CONSTRAINT fk_deployment_version__deployment_id__deployment FOREIGN KEY (deployment_id) REFERENCES deployment (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment_version__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL,
    CONSTRAINT uq_deployment_version__deployment_id_branch UNIQUE (deployment_id, branch)
);
CREATE INDEX ix_deployment_version__updated ON deployment_version (updated);

ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL;
ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__infrastructure_document_id__block_document FOREIGN KEY (infrastructure_document_id) REFERENCES block_document (id) ON DELETE CASCADE;
--rollback ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__infrastructure_document_id__block_document;
--rollback ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__work_queue_id__work_queue;
--rollback DROP TABLE deployment_version;
--rollback DROP TABLE deployment_schedule;
--rollback DROP TABLE deployment;
--rollback DROP TABLE variable;
--rollback DROP TABLE block_document_reference;
--rollback DROP TABLE block_document;
--rollback DROP TABLE block_schema_reference;
--rollback DROP TABLE block_schema;
--rollback DROP TABLE block_type;
--rollback DROP TABLE concurrency_limit_v2;
--rollback DROP TABLE concurrency_limit;
--rollback DROP TABLE agent;
--rollback DROP TABLE worker;
--rollback ALTER TABLE work_pool DROP CONSTRAINT fk_work_pool__default_queue_id__work_queue;
--rollback DROP TABLE work_queue;
--rollback DROP TABLE work_pool;

--changeset openprefect:r0002-sqlite dbms:sqlite
--comment: deployments and schedules, work pools, queues and workers, concurrency limits, blocks, variables
CREATE TABLE work_pool (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    description VARCHAR,
    type VARCHAR NOT NULL,
    base_job_template JSON NOT NULL DEFAULT '{}',
    is_paused BOOLEAN NOT NULL DEFAULT 0,
    default_queue_id CHAR(36),
    concurrency_limit INTEGER,
    status VARCHAR NOT NULL DEFAULT 'NOT_READY',
    last_transitioned_status_at TIMESTAMP,
    last_status_event_id CHAR(36),
    storage_configuration JSON NOT NULL DEFAULT '{}',
    CONSTRAINT pk_work_pool PRIMARY KEY (id),
    CONSTRAINT uq_work_pool__name UNIQUE (name),
    CONSTRAINT fk_work_pool__default_queue_id__work_queue FOREIGN KEY (default_queue_id) REFERENCES work_queue (id) ON DELETE RESTRICT
);
CREATE INDEX ix_work_pool__updated ON work_pool (updated);
CREATE INDEX ix_work_pool__type ON work_pool (type);

CREATE TABLE work_queue (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    is_paused BOOLEAN NOT NULL DEFAULT 0,
    concurrency_limit INTEGER,
    priority INTEGER NOT NULL,
    filter JSON,
    last_polled TIMESTAMP,
    status VARCHAR NOT NULL DEFAULT 'NOT_READY',
    work_pool_id CHAR(36) NOT NULL,
    CONSTRAINT pk_work_queue PRIMARY KEY (id),
    CONSTRAINT fk_work_queue__work_pool_id__work_pool FOREIGN KEY (work_pool_id) REFERENCES work_pool (id) ON DELETE CASCADE,
    CONSTRAINT uq_work_queue__work_pool_id_name UNIQUE (work_pool_id, name)
);
CREATE INDEX ix_work_queue__updated ON work_queue (updated);
CREATE INDEX ix_work_queue__work_pool_id_priority ON work_queue (work_pool_id, priority);


CREATE TABLE worker (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    work_pool_id CHAR(36) NOT NULL,
    name VARCHAR NOT NULL,
    last_heartbeat_time TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    heartbeat_interval_seconds INTEGER,
    status VARCHAR NOT NULL DEFAULT 'OFFLINE',
    CONSTRAINT pk_worker PRIMARY KEY (id),
    CONSTRAINT fk_worker__work_pool_id__work_pool FOREIGN KEY (work_pool_id) REFERENCES work_pool (id) ON DELETE CASCADE,
    CONSTRAINT uq_worker__work_pool_id_name UNIQUE (work_pool_id, name)
);
CREATE INDEX ix_worker__updated ON worker (updated);
CREATE INDEX ix_worker__work_pool_id_last_heartbeat_time ON worker (work_pool_id, last_heartbeat_time);

CREATE TABLE agent (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    work_queue_id CHAR(36) NOT NULL,
    last_activity_time TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    CONSTRAINT pk_agent PRIMARY KEY (id),
    CONSTRAINT fk_agent__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE CASCADE,
    CONSTRAINT uq_agent__name UNIQUE (name)
);
CREATE INDEX ix_agent__updated ON agent (updated);
CREATE INDEX ix_agent__work_queue_id ON agent (work_queue_id);

CREATE TABLE concurrency_limit (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    tag VARCHAR NOT NULL,
    concurrency_limit INTEGER NOT NULL,
    active_slots JSON NOT NULL DEFAULT '[]',
    CONSTRAINT pk_concurrency_limit PRIMARY KEY (id),
    CONSTRAINT uq_concurrency_limit__tag UNIQUE (tag)
);
CREATE INDEX ix_concurrency_limit__updated ON concurrency_limit (updated);

CREATE TABLE concurrency_limit_v2 (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    active BOOLEAN NOT NULL DEFAULT 1,
    name VARCHAR NOT NULL,
    "limit" INTEGER NOT NULL,
    active_slots INTEGER NOT NULL DEFAULT 0,
    denied_slots INTEGER NOT NULL DEFAULT 0,
    slot_decay_per_second REAL NOT NULL DEFAULT 0,
    avg_slot_occupancy_seconds REAL NOT NULL DEFAULT 2.0,
    CONSTRAINT pk_concurrency_limit_v2 PRIMARY KEY (id),
    CONSTRAINT uq_concurrency_limit_v2__name UNIQUE (name)
);
CREATE INDEX ix_concurrency_limit_v2__updated ON concurrency_limit_v2 (updated);

CREATE TABLE block_type (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    slug VARCHAR NOT NULL,
    logo_url VARCHAR,
    documentation_url VARCHAR,
    description VARCHAR,
    code_example VARCHAR,
    is_protected BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT pk_block_type PRIMARY KEY (id),
    CONSTRAINT uq_block_type__slug UNIQUE (slug)
);
CREATE INDEX ix_block_type__updated ON block_type (updated);

CREATE TABLE block_schema (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    checksum VARCHAR NOT NULL,
    fields JSON NOT NULL DEFAULT '{}',
    capabilities JSON NOT NULL DEFAULT '[]',
    version VARCHAR NOT NULL DEFAULT 'non-versioned',
    block_type_id CHAR(36) NOT NULL,
    CONSTRAINT pk_block_schema PRIMARY KEY (id),
    CONSTRAINT fk_block_schema__block_type_id__block_type FOREIGN KEY (block_type_id) REFERENCES block_type (id) ON DELETE CASCADE,
    CONSTRAINT uq_block_schema__checksum_version UNIQUE (checksum, version)
);
CREATE INDEX ix_block_schema__updated ON block_schema (updated);
CREATE INDEX ix_block_schema__created ON block_schema (created);
CREATE INDEX ix_block_schema__block_type_id ON block_schema (block_type_id);

CREATE TABLE block_schema_reference (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    parent_block_schema_id CHAR(36) NOT NULL,
    reference_block_schema_id CHAR(36) NOT NULL,
    CONSTRAINT pk_block_schema_reference PRIMARY KEY (id),
    CONSTRAINT fk_block_schema_reference__parent_block_schema_id__block_schema FOREIGN KEY (parent_block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_schema_reference__reference_block_schema_id__block_schema FOREIGN KEY (reference_block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE
);
CREATE INDEX ix_block_schema_reference__updated ON block_schema_reference (updated);

CREATE TABLE block_document (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    data JSON NOT NULL DEFAULT '{}',
    is_anonymous BOOLEAN NOT NULL DEFAULT 0,
    block_type_name VARCHAR,
    block_type_id CHAR(36) NOT NULL,
    block_schema_id CHAR(36) NOT NULL,
    CONSTRAINT pk_block_document PRIMARY KEY (id),
    CONSTRAINT fk_block_document__block_type_id__block_type FOREIGN KEY (block_type_id) REFERENCES block_type (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_document__block_schema_id__block_schema FOREIGN KEY (block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE,
    CONSTRAINT uq_block_document__block_type_id_name UNIQUE (block_type_id, name)
);
CREATE INDEX ix_block_document__updated ON block_document (updated);
CREATE INDEX ix_block_document__name ON block_document (name);
CREATE INDEX ix_block_document__is_anonymous ON block_document (is_anonymous);
CREATE INDEX ix_block_document__block_type_name_name ON block_document (block_type_name, name);

CREATE TABLE block_document_reference (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    parent_block_document_id CHAR(36) NOT NULL,
    reference_block_document_id CHAR(36) NOT NULL,
    CONSTRAINT pk_block_document_reference PRIMARY KEY (id),
    CONSTRAINT fk_block_document_reference__parent_block_document_id__block_document FOREIGN KEY (parent_block_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_document_reference__reference_block_document_id__block_document FOREIGN KEY (reference_block_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT ck_block_document_reference__not_self CHECK (parent_block_document_id <> reference_block_document_id)
);
CREATE INDEX ix_block_document_reference__updated ON block_document_reference (updated);

CREATE TABLE variable (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    value JSON,
    tags JSON NOT NULL DEFAULT '[]',
    CONSTRAINT pk_variable PRIMARY KEY (id),
    CONSTRAINT uq_variable__name UNIQUE (name)
);
CREATE INDEX ix_variable__updated ON variable (updated);

CREATE TABLE deployment (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    version VARCHAR,
    description TEXT,
    flow_id CHAR(36) NOT NULL,
    paused BOOLEAN NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL DEFAULT 'NOT_READY',
    last_polled TIMESTAMP,
    work_queue_name VARCHAR,
    work_queue_id CHAR(36),
    concurrency_limit INTEGER,
    concurrency_limit_id CHAR(36),
    concurrency_options JSON,
    tags JSON NOT NULL DEFAULT '[]',
    labels JSON,
    parameters JSON NOT NULL DEFAULT '{}',
    parameter_openapi_schema JSON,
    enforce_parameter_schema BOOLEAN NOT NULL DEFAULT 1,
    pull_steps JSON,
    path VARCHAR,
    entrypoint VARCHAR,
    infra_overrides JSON NOT NULL DEFAULT '{}',
    created_by JSON,
    updated_by JSON,
    infrastructure_document_id CHAR(36),
    storage_document_id CHAR(36),
    CONSTRAINT pk_deployment PRIMARY KEY (id),
    CONSTRAINT fk_deployment__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL,
    CONSTRAINT fk_deployment__concurrency_limit_id__concurrency_limit_v2 FOREIGN KEY (concurrency_limit_id) REFERENCES concurrency_limit_v2 (id) ON DELETE SET NULL,
    CONSTRAINT fk_deployment__infrastructure_document_id__block_document FOREIGN KEY (infrastructure_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment__storage_document_id__block_document FOREIGN KEY (storage_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT uq_deployment__flow_id_name UNIQUE (flow_id, name)
);
CREATE INDEX ix_deployment__updated ON deployment (updated);
CREATE INDEX ix_deployment__created ON deployment (created);
CREATE INDEX ix_deployment__paused ON deployment (paused);
CREATE INDEX ix_deployment__work_queue_name ON deployment (work_queue_name);
CREATE INDEX ix_deployment__work_queue_id ON deployment (work_queue_id);
CREATE INDEX ix_deployment__flow_id ON deployment (flow_id);

CREATE TABLE deployment_schedule (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    deployment_id CHAR(36) NOT NULL,
    schedule JSON NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    max_scheduled_runs INTEGER,
    parameters JSON NOT NULL DEFAULT '{}',
    slug VARCHAR,
    CONSTRAINT pk_deployment_schedule PRIMARY KEY (id),
    CONSTRAINT fk_deployment_schedule__deployment_id__deployment FOREIGN KEY (deployment_id) REFERENCES deployment (id) ON DELETE CASCADE,
    CONSTRAINT uq_deployment_schedule__deployment_id_slug UNIQUE (deployment_id, slug)
);
CREATE INDEX ix_deployment_schedule__updated ON deployment_schedule (updated);
CREATE INDEX ix_deployment_schedule__deployment_id ON deployment_schedule (deployment_id);
CREATE INDEX ix_deployment_schedule__slug ON deployment_schedule (slug);

CREATE TABLE deployment_version (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    deployment_id CHAR(36) NOT NULL,
    branch VARCHAR,
    version_info JSON NOT NULL DEFAULT '{}',
    description TEXT,
    tags JSON NOT NULL DEFAULT '[]',
    labels JSON,
    entrypoint VARCHAR,
    pull_steps JSON,
    parameters JSON NOT NULL DEFAULT '{}',
    parameter_openapi_schema JSON,
    enforce_parameter_schema BOOLEAN NOT NULL DEFAULT 1,
    work_queue_id CHAR(36),
    work_queue_name VARCHAR,
    infra_overrides JSON NOT NULL DEFAULT '{}',
    CONSTRAINT pk_deployment_version PRIMARY KEY (id),
    CONSTRAINT fk_deployment_version__deployment_id__deployment FOREIGN KEY (deployment_id) REFERENCES deployment (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment_version__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL,
    CONSTRAINT uq_deployment_version__deployment_id_branch UNIQUE (deployment_id, branch)
);
CREATE INDEX ix_deployment_version__updated ON deployment_version (updated);


-- SQLite cannot add a foreign key to an existing table: flow_run's references to tables of this
-- revision are kept by triggers with the same meaning as PostgreSQL's constraints.
CREATE TRIGGER fk_flow_run__work_queue_id__work_queue_insert BEFORE INSERT ON flow_run
WHEN NEW.work_queue_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM work_queue WHERE id = NEW.work_queue_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END;
CREATE TRIGGER fk_flow_run__work_queue_id__work_queue_update BEFORE UPDATE OF work_queue_id ON flow_run
WHEN NEW.work_queue_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM work_queue WHERE id = NEW.work_queue_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END;
CREATE TRIGGER fk_flow_run__work_queue_id__work_queue_delete AFTER DELETE ON work_queue
BEGIN UPDATE flow_run SET work_queue_id = NULL WHERE work_queue_id = OLD.id; END;
CREATE TRIGGER fk_flow_run__infrastructure_document_id__block_document_insert BEFORE INSERT ON flow_run
WHEN NEW.infrastructure_document_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM block_document WHERE id = NEW.infrastructure_document_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END;
CREATE TRIGGER fk_flow_run__infrastructure_document_id__block_document_update BEFORE UPDATE OF infrastructure_document_id ON flow_run
WHEN NEW.infrastructure_document_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM block_document WHERE id = NEW.infrastructure_document_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END;
CREATE TRIGGER fk_flow_run__infrastructure_document_id__block_document_delete AFTER DELETE ON block_document
BEGIN DELETE FROM flow_run WHERE infrastructure_document_id = OLD.id; END;
--rollback DROP TRIGGER fk_flow_run__infrastructure_document_id__block_document_delete;
--rollback DROP TRIGGER fk_flow_run__infrastructure_document_id__block_document_update;
--rollback DROP TRIGGER fk_flow_run__infrastructure_document_id__block_document_insert;
--rollback DROP TRIGGER fk_flow_run__work_queue_id__work_queue_delete;
--rollback DROP TRIGGER fk_flow_run__work_queue_id__work_queue_update;
--rollback DROP TRIGGER fk_flow_run__work_queue_id__work_queue_insert;
--rollback DROP TABLE deployment_version;
--rollback DROP TABLE deployment_schedule;
--rollback DROP TABLE deployment;
--rollback DROP TABLE variable;
--rollback DROP TABLE block_document_reference;
--rollback DROP TABLE block_document;
--rollback DROP TABLE block_schema_reference;
--rollback DROP TABLE block_schema;
--rollback DROP TABLE block_type;
--rollback DROP TABLE concurrency_limit_v2;
--rollback DROP TABLE concurrency_limit;
--rollback DROP TABLE agent;
--rollback DROP TABLE worker;
--rollback DROP TABLE work_queue;
--rollback DROP TABLE work_pool;

