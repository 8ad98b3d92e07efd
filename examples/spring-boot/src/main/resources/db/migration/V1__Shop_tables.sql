CREATE SCHEMA boot_shop;
CREATE SCHEMA boot_analytics;
CREATE TABLE boot_shop.orders (
  id integer PRIMARY KEY,
  amount numeric NOT NULL,
  ordered_on date NOT NULL
);
INSERT INTO boot_shop.orders
SELECT i, i % 40, date '2026-01-01' + (i % 90) FROM generate_series(1, 500) i;
