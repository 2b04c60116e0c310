import { claimKey, eventId, recordResult, type IdempotentRequest } from '@io/db/idempotency';
import { z } from 'zod';
import { conflict, notFound } from '@io/graphql/errors';
import { parseId, validate } from '@io/graphql/validate';
import { page } from '@io/graphql/paging';
import type { Product, StockMovement } from '../__generated__/prisma/client';
import type { InventoryPrisma } from '../data/prisma';
import { productRepository, type ProductFilter } from '../data/products';
import { inTransaction } from '@io/db/slice';
import { quantityLimits } from '@io/domain/limits';
import { announceLevelChange, changeStock } from './stock';

const { maxStock } = quantityLimits;
const quantity = z.number().int().min(0, 'must not be negative').max(maxStock, `must be at most ${maxStock}`);
const price = z.string().refine((value) => Number(value) >= 0, 'must not be negative');
const name = z.string().trim().min(1, 'must not be empty').max(200);
const description = z.string().max(2000);

const newProductSchema = z.object({
  name,
  price,
  stockQuantity: quantity,
  description: description.nullish().transform((value) => value ?? ''),
  minStockLevel: quantity.nullish().transform((value) => value ?? 0),
});

const productChangesSchema = z
  .object({
    name: name.nullish(),
    description: description.nullish(),
    price: price.nullish(),
    minStockLevel: quantity.nullish(),
  })
  .transform((changes) =>
    Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== null && value !== undefined)),
  );

const adjustmentSchema = z.object({
  quantityChange: z
    .number()
    .int()
    .min(-maxStock, `must be at least -${maxStock}`)
    .max(maxStock, `must be at most ${maxStock}`)
    .refine((value) => value !== 0, 'must not be zero'),
  movementType: z
    .enum(['PURCHASE', 'SALE', 'ADJUSTMENT', 'RETURN'], { message: 'INITIAL is reserved for product creation' })
    .nullish()
    .transform((value) => value ?? 'ADJUSTMENT'),
  referenceId: z
    .string()
    .trim()
    .max(100)
    .nullish()
    .transform((value) => value || null),
  notes: z
    .string()
    .max(1000)
    .nullish()
    .transform((value) => value || null),
});

const filterSchema = z
  .object({ search: z.string().max(200).nullish(), lowStock: z.boolean().nullish() })
  .nullish()
  .transform((filter) => filter ?? {});

export function productUseCases(prisma: InventoryPrisma) {
  return {
    list: (filter: ProductFilter | null | undefined, limit?: number | null, offset?: number | null) => {
      const paging = page(limit, offset, 100, 500);
      return productRepository.list(prisma, validate(filterSchema, filter, 'filter'), paging.limit, paging.offset);
    },
    count: (filter: ProductFilter | null | undefined) =>
      productRepository.count(prisma, validate(filterSchema, filter, 'filter')),
    listLowStock: () => productRepository.list(prisma, { lowStock: true }, 10_000, 0),
    findById: (id: string | number) => productRepository.findById(prisma, parseId(id)),
    findByIds: (ids: readonly number[]) => productRepository.findByIds(prisma, ids),
    movements: (productId: number, limit?: number | null, offset?: number | null) => {
      const paging = page(limit, offset, 50, 500);
      return productRepository.movements(prisma, productId, paging.limit, paging.offset);
    },
    movementCount: (productId: number) => productRepository.movementCount(prisma, productId),

    /** Creates the product; its initial stock enters the ledger as an INITIAL movement. */
    create: (input: unknown): Promise<Product> => {
      const { stockQuantity, ...product } = validate(newProductSchema, input);
      return inTransaction(prisma, async (tx) => {
        const created = await productRepository.create(tx, product);
        if (stockQuantity === 0) {
          await announceLevelChange(tx, null, created);
          return created;
        }
        return (
          await changeStock(
            tx,
            {
              productId: created.id,
              quantityChange: stockQuantity,
              movementType: 'INITIAL',
              referenceId: null,
              notes: 'initial stock',
            },
            true,
          )
        ).product;
      });
    },

    /** Changes name, description, price or minimum level; a new minimum may cross the stock either way. */
    update: async (id: string | number, input: unknown): Promise<Product> => {
      const productId = parseId(id);
      const changes = validate(productChangesSchema, input);
      return inTransaction(prisma, async (tx) => {
        const [before] = await productRepository.lockStock(tx, [productId]);
        if (!before) throw notFound('Product', id);
        const updated = await productRepository.update(tx, productId, changes);
        await announceLevelChange(tx, before, updated);
        return updated;
      });
    },

    /**
     * An operator's stock change; taking more than there is, or bringing stock past the limit,
     * fails with CONFLICT and changes nothing.
     */
    adjust: async (
      id: string | number,
      input: unknown,
      request: IdempotentRequest | null = null,
    ): Promise<StockMovement> => {
      const productId = parseId(id, 'productId');
      const adjustment = validate(adjustmentSchema, input);
      return inTransaction(prisma, async (tx) => {
        const earlier = request && (await claimKey(tx, request));
        if (earlier) return (await productRepository.findMovement(tx, earlier))!;
        const [locked] = await productRepository.lockStock(tx, [productId]);
        if (!locked) throw notFound('Product', id);
        if (locked.stockQuantity + adjustment.quantityChange < 0) {
          throw conflict(
            `product ${productId} has ${locked.stockQuantity} in stock; cannot take ${-adjustment.quantityChange}`,
            { reason: 'INSUFFICIENT_STOCK', stockQuantity: locked.stockQuantity },
          );
        }
        if (locked.stockQuantity + adjustment.quantityChange > maxStock) {
          throw conflict(
            `product ${productId} has ${locked.stockQuantity} in stock; adding ${adjustment.quantityChange} would pass the limit of ${maxStock}`,
            { reason: 'STOCK_LIMIT_EXCEEDED', stockQuantity: locked.stockQuantity, maxStock },
          );
        }
        const { movement } = await changeStock(tx, { productId, ...adjustment }, false, (type) =>
          request ? eventId(request, type) : undefined,
        );
        if (request) await recordResult(tx, request, movement.id);
        return movement;
      });
    },
  };
}

export type ProductUseCases = ReturnType<typeof productUseCases>;
