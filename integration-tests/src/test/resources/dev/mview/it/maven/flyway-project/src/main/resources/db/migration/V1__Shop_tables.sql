CREATE SCHEMA shop;
CREATE SCHEMA analytics;
CREATE TABLE shop.orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric NOT NULL);
INSERT INTO shop.orders SELECT i, 'c' || (i % 5), i % 40 FROM generate_series(1, 100) i;
