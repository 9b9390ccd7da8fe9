/** DI tokens of what is not a class. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const API_CONFIG = Symbol('API_CONFIG');
