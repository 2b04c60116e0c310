-- An order line's quantity bounded (lib/domain/limits.ts): with at most 100 lines, one order never
-- moves more than 100,000,000 units of a product.
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_quantity_limit" CHECK ("quantity" <= 1000000);
