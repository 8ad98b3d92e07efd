SELECT customer, sum(amount) AS total
FROM shop.orders
GROUP BY customer
