-- daily
SELECT ordered_on AS day FROM shop.orders GROUP BY 1;
