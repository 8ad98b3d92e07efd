-- Read by createMaterializedView through path="customer_totals.sql" relativeToChangelogFile="true".
SELECT customer, sum(amount) AS total, count(*) AS orders
FROM shop.orders
GROUP BY customer
