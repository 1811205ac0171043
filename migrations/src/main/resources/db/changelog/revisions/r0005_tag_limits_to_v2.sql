--liquibase formatted sql

-- r0005: tag concurrency limits move from the legacy `concurrency_limit` table to
-- `concurrency_limit_v2`, named `tag:<tag>`, as upstream did. A data migration: the downgrade moves
-- the limits back, so no limit is lost either way (the v2 table counts occupied slots but does not
-- name their holders, so a downgraded limit starts with no active slots).

--changeset openprefect:r0005-postgresql dbms:postgresql
--comment: move tag concurrency limits to concurrency_limit_v2
INSERT INTO concurrency_limit_v2 (id, created, updated, active, name, "limit", active_slots, denied_slots, slot_decay_per_second, avg_slot_occupancy_seconds)
SELECT id, created, updated, true, 'tag:' || tag, concurrency_limit, jsonb_array_length(active_slots), 0, 0, 2.0
FROM concurrency_limit
ON CONFLICT (name) DO NOTHING;
DELETE FROM concurrency_limit;
--rollback INSERT INTO concurrency_limit (id, created, updated, tag, concurrency_limit, active_slots) SELECT id, created, updated, substr(name, 5), "limit", '[]' FROM concurrency_limit_v2 WHERE name LIKE 'tag:%' ON CONFLICT (tag) DO NOTHING;
--rollback DELETE FROM concurrency_limit_v2 WHERE name LIKE 'tag:%';

--changeset openprefect:r0005-sqlite dbms:sqlite
--comment: move tag concurrency limits to concurrency_limit_v2
INSERT INTO concurrency_limit_v2 (id, created, updated, active, name, "limit", active_slots, denied_slots, slot_decay_per_second, avg_slot_occupancy_seconds)
SELECT id, created, updated, 1, 'tag:' || tag, concurrency_limit, json_array_length(active_slots), 0, 0, 2.0
FROM concurrency_limit
WHERE true
ON CONFLICT (name) DO NOTHING;
DELETE FROM concurrency_limit;
--rollback INSERT INTO concurrency_limit (id, created, updated, tag, concurrency_limit, active_slots) SELECT id, created, updated, substr(name, 5), "limit", '[]' FROM concurrency_limit_v2 WHERE name LIKE 'tag:%' ON CONFLICT (tag) DO NOTHING;
--rollback DELETE FROM concurrency_limit_v2 WHERE name LIKE 'tag:%';
