/** Primitives shared by the wire schemas: Hostaway's flags, dates, and the nullish field helpers. */
import * as z from 'zod';

/** Hostaway booleans are documented as integers 0/1; some fields are real JSON booleans. */
export const Flag = z.union([z.literal(0), z.literal(1), z.boolean()]);
/** `YYYY-MM-DD` calendar date. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
/** `YYYY-MM-DD HH:MM:SS` timestamp, in UTC unless the field says otherwise. */
export const DateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DD HH:MM:SS');

export const str = z.string().nullish();
export const num = z.number().nullish();
export const int = z.number().int().nullish();
export const flag = Flag.nullish();

/** Every object schema here is loose; this makes a copy that rejects fields the docs do not name. */
export function strictly<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return z.strictObject(schema.shape);
}

/**
 * An integer the docs type as `int` while an example of theirs shows it as a numeric string (message
 * templates, conversations): either is read, as a number.
 */
export const IntLike = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
export const intLike = IntLike.nullish();
