-- Sales per day, all orders (paid or not): read by analytics.sales_summary.
SELECT ordered_on AS day, count(*) AS orders, sum(amount) AS total
FROM shop.orders
GROUP BY ordered_on;
