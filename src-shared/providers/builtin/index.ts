import { builtAccounting } from './built-accounting';
import { coolset } from './coolset';
import { genericApiKey, genericBearer } from './generic';
import { regate } from './regate';
import { regenTherapy } from './regen-therapy';
import { strapi } from './strapi';

/** The built-in definitions as written, before validation; in the order the app lists them. */
export const BUILTIN_DEFINITION_SOURCES = [regate, regenTherapy, strapi, coolset, builtAccounting, genericBearer, genericApiKey] as const;
