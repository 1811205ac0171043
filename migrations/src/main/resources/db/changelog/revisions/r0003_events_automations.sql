--liquibase formatted sql

-- r0003: the event store and automations.

--changeset openprefect:r0003-postgresql dbms:postgresql
--comment: events, event resources and automations
CREATE TABLE events (
    id UUID NOT NULL,
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    occurred TIMESTAMP WITH TIME ZONE NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resource JSONB NOT NULL,
    related_resource_ids JSONB NOT NULL DEFAULT '[]',
    related JSONB NOT NULL DEFAULT '[]',
    payload JSONB NOT NULL,
    received TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded TIMESTAMP WITH TIME ZONE NOT NULL,
    follows UUID,
    CONSTRAINT pk_events PRIMARY KEY (id)
);
CREATE INDEX ix_events__updated ON events (updated);
CREATE INDEX ix_events__occurred ON events (occurred);
CREATE INDEX ix_events__event__id ON events (event, id);
CREATE INDEX ix_events__event_resource_id_occurred ON events (event, resource_id, occurred);
CREATE INDEX ix_events__occurred_id ON events (occurred, id);
CREATE INDEX ix_events__event_occurred_id ON events (event, occurred, id);
CREATE INDEX ix_events__event_occurred ON events (event, occurred);
CREATE INDEX ix_events__related_gin ON events USING gin (related jsonb_path_ops);
CREATE INDEX ix_events__related_resource_ids_gin ON events USING gin (related_resource_ids jsonb_path_ops);

CREATE TABLE event_resources (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    occurred TIMESTAMP WITH TIME ZONE NOT NULL,
    resource_id TEXT NOT NULL,
    resource_role TEXT NOT NULL,
    resource JSONB NOT NULL,
    event_id UUID NOT NULL,
    CONSTRAINT pk_event_resources PRIMARY KEY (id)
);
CREATE INDEX ix_event_resources__updated ON event_resources (updated);
CREATE INDEX ix_event_resources__resource_id__occurred ON event_resources (resource_id, occurred);
CREATE INDEX ix_event_resources__occurred ON event_resources (occurred);
CREATE INDEX ix_event_resources__event_id ON event_resources (event_id);

CREATE TABLE automation (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT true,
    tags JSONB NOT NULL DEFAULT '[]',
    trigger JSONB NOT NULL,
    actions JSONB NOT NULL,
    actions_on_trigger JSONB NOT NULL DEFAULT '[]',
    actions_on_resolve JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT pk_automation PRIMARY KEY (id)
);
CREATE INDEX ix_automation__updated ON automation (updated);

CREATE TABLE automation_bucket (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    automation_id UUID NOT NULL,
    trigger_id UUID NOT NULL,
    bucketing_key JSONB NOT NULL,
    last_event JSONB,
    start TIMESTAMP WITH TIME ZONE NOT NULL,
    "end" TIMESTAMP WITH TIME ZONE NOT NULL,
    count INTEGER NOT NULL,
    last_operation VARCHAR,
    triggered_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_automation_bucket PRIMARY KEY (id),
    CONSTRAINT fk_automation_bucket__automation_id__automation FOREIGN KEY (automation_id) REFERENCES automation (id) ON DELETE CASCADE,
    CONSTRAINT uq_automation_bucket__automation_id_trigger_id_bucketing_key UNIQUE (automation_id, trigger_id, bucketing_key)
);
CREATE INDEX ix_automation_bucket__updated ON automation_bucket (updated);
CREATE INDEX ix_automation_bucket__automation_id__end ON automation_bucket (automation_id, "end");

CREATE TABLE automation_related_resource (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    automation_id UUID NOT NULL,
    resource_id VARCHAR,
    automation_owned_by_resource BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT pk_automation_related_resource PRIMARY KEY (id),
    CONSTRAINT fk_automation_related_resource__automation_id__automation FOREIGN KEY (automation_id) REFERENCES automation (id) ON DELETE CASCADE,
    CONSTRAINT uq_automation_related_resource__automation_id_resource_id UNIQUE (automation_id, resource_id)
);
CREATE INDEX ix_automation_related_resource__updated ON automation_related_resource (updated);
CREATE INDEX ix_automation_related_resource__resource_id ON automation_related_resource (resource_id);

CREATE TABLE composite_trigger_child_firing (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    automation_id UUID NOT NULL,
    parent_trigger_id UUID NOT NULL,
    child_trigger_id UUID NOT NULL,
    child_firing_id UUID NOT NULL,
    child_fired_at TIMESTAMP WITH TIME ZONE,
    child_firing JSONB NOT NULL,
    CONSTRAINT pk_composite_trigger_child_firing PRIMARY KEY (id),
    CONSTRAINT fk_composite_trigger_child_firing__automation_id__automation FOREIGN KEY (automation_id) REFERENCES automation (id) ON DELETE CASCADE,
    CONSTRAINT uq_composite_trigger_child_firing__a_id__pt_id__ct__id UNIQUE (automation_id, parent_trigger_id, child_trigger_id)
);
CREATE INDEX ix_composite_trigger_child_firing__updated ON composite_trigger_child_firing (updated);

CREATE TABLE automation_event_follower (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    scope VARCHAR NOT NULL DEFAULT '',
    leader_event_id UUID NOT NULL,
    follower_event_id UUID NOT NULL,
    received TIMESTAMP WITH TIME ZONE NOT NULL,
    follower JSONB NOT NULL,
    CONSTRAINT pk_automation_event_follower PRIMARY KEY (id),
    CONSTRAINT uq_follower_for_scope UNIQUE (scope, follower_event_id)
);
CREATE INDEX ix_automation_event_follower__updated ON automation_event_follower (updated);
CREATE INDEX ix_ae_follower_scope_leader ON automation_event_follower (scope, leader_event_id);
CREATE INDEX ix_automation_event_follower__received ON automation_event_follower (received);
--rollback DROP TABLE automation_event_follower;
--rollback DROP TABLE composite_trigger_child_firing;
--rollback DROP TABLE automation_related_resource;
--rollback DROP TABLE automation_bucket;
--rollback DROP TABLE automation;
--rollback DROP TABLE event_resources;
--rollback DROP TABLE events;

--changeset openprefect:r0003-sqlite dbms:sqlite
--comment: events, event resources and automations
CREATE TABLE events (
    id CHAR(36) NOT NULL,
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    occurred TIMESTAMP NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resource JSON NOT NULL,
    related_resource_ids JSON NOT NULL DEFAULT '[]',
    related JSON NOT NULL DEFAULT '[]',
    payload JSON NOT NULL,
    received TIMESTAMP NOT NULL,
    recorded TIMESTAMP NOT NULL,
    follows CHAR(36),
    CONSTRAINT pk_events PRIMARY KEY (id)
);
CREATE INDEX ix_events__updated ON events (updated);
CREATE INDEX ix_events__occurred ON events (occurred);
CREATE INDEX ix_events__event__id ON events (event, id);
CREATE INDEX ix_events__event_resource_id_occurred ON events (event, resource_id, occurred);
CREATE INDEX ix_events__occurred_id ON events (occurred, id);
CREATE INDEX ix_events__event_occurred_id ON events (event, occurred, id);
CREATE INDEX ix_events__event_occurred ON events (event, occurred);

CREATE TABLE event_resources (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    occurred TIMESTAMP NOT NULL,
    resource_id TEXT NOT NULL,
    resource_role TEXT NOT NULL,
    resource JSON NOT NULL,
    event_id CHAR(36) NOT NULL,
    CONSTRAINT pk_event_resources PRIMARY KEY (id)
);
CREATE INDEX ix_event_resources__updated ON event_resources (updated);
CREATE INDEX ix_event_resources__resource_id__occurred ON event_resources (resource_id, occurred);
CREATE INDEX ix_event_resources__occurred ON event_resources (occurred);
CREATE INDEX ix_event_resources__event_id ON event_resources (event_id);

CREATE TABLE automation (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT 1,
    tags JSON NOT NULL DEFAULT '[]',
    trigger JSON NOT NULL,
    actions JSON NOT NULL,
    actions_on_trigger JSON NOT NULL DEFAULT '[]',
    actions_on_resolve JSON NOT NULL DEFAULT '[]',
    CONSTRAINT pk_automation PRIMARY KEY (id)
);
CREATE INDEX ix_automation__updated ON automation (updated);

CREATE TABLE automation_bucket (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    automation_id CHAR(36) NOT NULL,
    trigger_id CHAR(36) NOT NULL,
    bucketing_key JSON NOT NULL,
    last_event JSON,
    start TIMESTAMP NOT NULL,
    "end" TIMESTAMP NOT NULL,
    count INTEGER NOT NULL,
    last_operation VARCHAR,
    triggered_at TIMESTAMP,
    CONSTRAINT pk_automation_bucket PRIMARY KEY (id),
    CONSTRAINT fk_automation_bucket__automation_id__automation FOREIGN KEY (automation_id) REFERENCES automation (id) ON DELETE CASCADE,
    CONSTRAINT uq_automation_bucket__automation_id_trigger_id_bucketing_key UNIQUE (automation_id, trigger_id, bucketing_key)
);
CREATE INDEX ix_automation_bucket__updated ON automation_bucket (updated);
CREATE INDEX ix_automation_bucket__automation_id__end ON automation_bucket (automation_id, "end");

CREATE TABLE automation_related_resource (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    automation_id CHAR(36) NOT NULL,
    resource_id VARCHAR,
    automation_owned_by_resource BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT pk_automation_related_resource PRIMARY KEY (id),
    CONSTRAINT fk_automation_related_resource__automation_id__automation FOREIGN KEY (automation_id) REFERENCES automation (id) ON DELETE CASCADE,
    CONSTRAINT uq_automation_related_resource__automation_id_resource_id UNIQUE (automation_id, resource_id)
);
CREATE INDEX ix_automation_related_resource__updated ON automation_related_resource (updated);
CREATE INDEX ix_automation_related_resource__resource_id ON automation_related_resource (resource_id);

CREATE TABLE composite_trigger_child_firing (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    automation_id CHAR(36) NOT NULL,
    parent_trigger_id CHAR(36) NOT NULL,
    child_trigger_id CHAR(36) NOT NULL,
    child_firing_id CHAR(36) NOT NULL,
    child_fired_at TIMESTAMP,
    child_firing JSON NOT NULL,
    CONSTRAINT pk_composite_trigger_child_firing PRIMARY KEY (id),
    CONSTRAINT fk_composite_trigger_child_firing__automation_id__automation FOREIGN KEY (automation_id) REFERENCES automation (id) ON DELETE CASCADE,
    CONSTRAINT uq_composite_trigger_child_firing__a_id__pt_id__ct__id UNIQUE (automation_id, parent_trigger_id, child_trigger_id)
);
CREATE INDEX ix_composite_trigger_child_firing__updated ON composite_trigger_child_firing (updated);

CREATE TABLE automation_event_follower (
    id CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    updated TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    scope VARCHAR NOT NULL DEFAULT '',
    leader_event_id CHAR(36) NOT NULL,
    follower_event_id CHAR(36) NOT NULL,
    received TIMESTAMP NOT NULL,
    follower JSON NOT NULL,
    CONSTRAINT pk_automation_event_follower PRIMARY KEY (id),
    CONSTRAINT uq_follower_for_scope UNIQUE (scope, follower_event_id)
);
CREATE INDEX ix_automation_event_follower__updated ON automation_event_follower (updated);
CREATE INDEX ix_ae_follower_scope_leader ON automation_event_follower (scope, leader_event_id);
CREATE INDEX ix_automation_event_follower__received ON automation_event_follower (received);
--rollback DROP TABLE automation_event_follower;
--rollback DROP TABLE composite_trigger_child_firing;
--rollback DROP TABLE automation_related_resource;
--rollback DROP TABLE automation_bucket;
--rollback DROP TABLE automation;
--rollback DROP TABLE event_resources;
--rollback DROP TABLE events;

