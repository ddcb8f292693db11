-- --8<-- [start:signal_table]
-- The signalling table named in the connector's signal.data.collection setting.
CREATE TABLE IF NOT EXISTS debezium_signal (
    id   VARCHAR(64) PRIMARY KEY,  -- any unique id; useful in logs
    type VARCHAR(32) NOT NULL,     -- the signal, e.g. execute-snapshot
    data TEXT                      -- JSON parameters for the signal
);
-- --8<-- [end:signal_table]

-- --8<-- [start:signal]
-- Ask the running connector to re-read one table in chunks while it keeps
-- streaming live changes.
INSERT INTO debezium_signal (id, type, data) VALUES (
    'backfill-orders-2026-11-30',
    'execute-snapshot',
    '{"data-collections": ["public.orders"], "type": "incremental"}'
);
-- --8<-- [end:signal]
