/* Sales per day, all orders (paid or not).
   Read by analytics.sales_summary. */
select ordered_on as day,
       count(*)   as orders,   -- every order counts
       sum(amount) as total
from   shop.orders
group  by ordered_on
