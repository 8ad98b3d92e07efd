CREATE SCHEMA demo_shop;
CREATE SCHEMA demo_analytics;
CREATE TABLE demo_shop.orders (
  id integer PRIMARY KEY,
  customer text NOT NULL,
  amount numeric(10, 2) NOT NULL,
  paid boolean NOT NULL,
  ordered_on date NOT NULL
);
INSERT INTO demo_shop.orders
SELECT i, 'customer ' || (i % 12), (i % 97) + 0.5, i % 4 <> 0, date '2026-09-01' + (i % 56)
FROM generate_series(1, 20000) i;
