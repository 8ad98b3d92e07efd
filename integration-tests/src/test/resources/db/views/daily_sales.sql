SELECT ordered_on AS day, count(*) AS orders, sum(amount) AS total
FROM shop.orders
WHERE paid
GROUP BY ordered_on
