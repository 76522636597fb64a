import * as z from 'zod';

// ---------------------------------------------------------------------------------------------------
// Envelope (index page: "Standard Response", "Rate limits")

/** Successful response carrying one object. */
export function itemEnvelope<T extends z.ZodType>(item: T) {
  return z.looseObject({ status: z.literal('success'), result: item });
}

/** Successful response carrying a list, with the documented pagination fields. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.looseObject({
    status: z.literal('success'),
    result: z.array(item),
    count: z.number().int().nullish(),
    limit: z.number().int().nullish(),
    offset: z.number().int().nullish(),
    page: z.number().int().nullish(),
    totalPages: z.number().int().nullish(),
  });
}

/**
 * Failure body. The docs say `result` holds the error message when `status` is `fail`; the rate-limit
 * section shows the message under `message` instead. Either may be present.
 */
export const FailBody = z.looseObject({
  status: z.literal('fail'),
  result: z.string().nullish(),
  message: z.string().nullish(),
});
export type FailBody = z.infer<typeof FailBody>;

// ---------------------------------------------------------------------------------------------------
// Authentication (_authentication.md)

export const AccessTokenResponse = z.looseObject({
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
  access_token: z.string().min(1),
});
export type AccessTokenResponse = z.infer<typeof AccessTokenResponse>;

/** OAuth 2.0 error body (RFC 6749 section 5.2) returned by `POST /v1/accessTokens`. */
export const OAuthErrorBody = z.looseObject({
  error: z.string(),
  error_description: z.string().nullish(),
  message: z.string().nullish(),
});
