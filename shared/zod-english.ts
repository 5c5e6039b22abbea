import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod/mini loads no locale, so its messages would be generic ("Invalid input"). Importing this
 * module gives them zod's English, the same words zod classic gives: the problem responses and
 * the settings errors read as before. Every module that defines schemas imports it.
 */
z.config(en());
