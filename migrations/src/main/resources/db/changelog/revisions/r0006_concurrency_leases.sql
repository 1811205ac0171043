--liquibase formatted sql

-- r0006: concurrency leases. Upstream 3.4 keeps a lease (the slots a holder took on some limits,
-- until when) in the server's memory, so a restart forgets every holder and a second server never
-- sees them; we keep them here, so they survive a restart and replicas share them. A lease names
-- its limits in `concurrency_lease_limit`; deleting a lease deletes those rows.

--changeset openprefect:r0006-postgresql dbms:postgresql
--comment: concurrency leases
CREATE TABLE concurrency_lease (
    id UUID NOT NULL,
    created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    expires TIMESTAMP WITH TIME ZONE NOT NULL,
    slots INTEGER NOT NULL,
    holder_type VARCHAR,
    holder_id UUID,
    CONSTRAINT pk_concurrency_lease PRIMARY KEY (id)
);
CREATE INDEX ix_concurrency_lease__expires ON concurrency_lease (expires);
CREATE TABLE concurrency_lease_limit (
    lease_id UUID NOT NULL,
    limit_id UUID NOT NULL,
    CONSTRAINT pk_concurrency_lease_limit PRIMARY KEY (lease_id, limit_id),
    CONSTRAINT fk_concurrency_lease_limit__lease_id FOREIGN KEY (lease_id) REFERENCES concurrency_lease (id) ON DELETE CASCADE
);
CREATE INDEX ix_concurrency_lease_limit__limit_id ON concurrency_lease_limit (limit_id);
--rollback DROP TABLE concurrency_lease_limit;
--rollback DROP TABLE concurrency_lease;

--changeset openprefect:r0006-sqlite dbms:sqlite
--comment: concurrency leases
CREATE TABLE concurrency_lease (
    id CHAR(36) NOT NULL,
    created TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),
    expires TIMESTAMP NOT NULL,
    slots INTEGER NOT NULL,
    holder_type VARCHAR,
    holder_id CHAR(36),
    CONSTRAINT pk_concurrency_lease PRIMARY KEY (id)
);
CREATE INDEX ix_concurrency_lease__expires ON concurrency_lease (expires);
CREATE TABLE concurrency_lease_limit (
    lease_id CHAR(36) NOT NULL,
    limit_id CHAR(36) NOT NULL,
    CONSTRAINT pk_concurrency_lease_limit PRIMARY KEY (lease_id, limit_id),
    CONSTRAINT fk_concurrency_lease_limit__lease_id FOREIGN KEY (lease_id) REFERENCES concurrency_lease (id) ON DELETE CASCADE
);
CREATE INDEX ix_concurrency_lease_limit__limit_id ON concurrency_lease_limit (limit_id);
--rollback DROP TABLE concurrency_lease_limit;
--rollback DROP TABLE concurrency_lease;
