export { type AppOptions, createApp } from './app.js';
export { type RunningServer, type ServeOptions, startServer } from './server.js';
