// Core's notes and risk modules.
export * from '@fulfil/core';
