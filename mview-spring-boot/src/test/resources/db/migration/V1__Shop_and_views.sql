CREATE SCHEMA boot_shop;
CREATE SCHEMA boot_views;
CREATE TABLE boot_shop.orders (id int PRIMARY KEY, day date NOT NULL, amount numeric NOT NULL);
INSERT INTO boot_shop.orders SELECT i, date '2026-01-01' + i % 10, i FROM generate_series(1, 100) i;
CREATE MATERIALIZED VIEW boot_views.daily AS
  SELECT day, sum(amount) AS total FROM boot_shop.orders GROUP BY day WITH NO DATA;
CREATE UNIQUE INDEX daily_day ON boot_views.daily (day);
CREATE MATERIALIZED VIEW boot_views.best_day AS
  SELECT day FROM boot_views.daily ORDER BY total DESC LIMIT 1 WITH NO DATA;
