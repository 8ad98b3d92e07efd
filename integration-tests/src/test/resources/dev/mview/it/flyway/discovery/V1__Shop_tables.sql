-- The tables the views read: plain SQL, as most projects already have.
CREATE SCHEMA IF NOT EXISTS shop;
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE TABLE shop.orders (
  id int PRIMARY KEY,
  customer text NOT NULL,
  amount numeric NOT NULL,
  paid boolean NOT NULL,
  ordered_on date NOT NULL
);
INSERT INTO shop.orders
SELECT i, 'c' || (i % 5), i % 40, i % 4 <> 0, date '2026-01-01' + (i % 30)
FROM generate_series(1, 200) i;
