-- --8<-- [start:target]
-- The warehouse copy keeps two bookkeeping columns per row: the log position
-- of the last change applied (_lsn) and a tombstone flag (_deleted). Keeping
-- deleted keys lets a late, older event be recognised as stale instead of
-- bringing the row back.
CREATE TABLE IF NOT EXISTS customers (
    id       INTEGER PRIMARY KEY,
    name     VARCHAR,
    email    VARCHAR,
    _lsn     BIGINT  NOT NULL,
    _deleted BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_changes (
    id    INTEGER NOT NULL,
    op    VARCHAR NOT NULL CHECK (op IN ('c', 'r', 'u', 'd')),
    lsn   BIGINT  NOT NULL,
    name  VARCHAR,
    email VARCHAR
);
-- --8<-- [end:target]

-- --8<-- [start:merge]
MERGE INTO customers AS t
USING (
    -- One row per key: the latest change in this batch wins, and exact
    -- duplicates (redelivered events) collapse into one.
    SELECT *
    FROM customer_changes
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY lsn DESC) = 1
) AS s
ON t.id = s.id
-- Apply only what is newer than the row we hold: a replayed or late
-- (out-of-order) event matches neither branch and changes nothing.
WHEN MATCHED AND s.lsn > t._lsn AND s.op = 'd' THEN
    UPDATE SET name = NULL, email = NULL, _lsn = s.lsn, _deleted = true
WHEN MATCHED AND s.lsn > t._lsn THEN
    UPDATE SET name = s.name, email = s.email, _lsn = s.lsn, _deleted = false
WHEN NOT MATCHED THEN
    INSERT (id, name, email, _lsn, _deleted)
    VALUES (s.id, s.name, s.email, s.lsn, s.op = 'd');
-- --8<-- [end:merge]

-- --8<-- [start:current]
CREATE OR REPLACE VIEW customers_current AS
SELECT id, name, email
FROM customers
WHERE NOT _deleted;
-- --8<-- [end:current]
