// Core's notes module.
export * from '@fulfil/core';
