export type { AlertRule } from './alert-rule';
