/** The runtime's version, reported by the worker so the UI can show which runtime answered. */
export const RUNTIME_VERSION = '0.1.0';
