-- Stock and minimum levels bounded (lib/domain/limits.ts), so no sum of them leaves int: the code
-- checks the limit and answers a coded error or rejects the order; these make it hold whatever the code does.
ALTER TABLE "products" ADD CONSTRAINT "products_stock_quantity_limit" CHECK ("stock_quantity" <= 2000000000);
ALTER TABLE "products" ADD CONSTRAINT "products_min_stock_level_limit" CHECK ("min_stock_level" <= 2000000000);
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_balance_after_limit" CHECK ("balance_after" BETWEEN 0 AND 2000000000);
