/** The permission models: what a definition's `roles` section holds, and the questions asked of it. */
export * from './decision';
export * from './model';
export { nameKey, resolveName } from './names';
export { validateGrant, resolveGrant, grantFields, fieldsUsedBy, splitScopes } from './grant';
export type { GrantIssue, GrantValidation, GrantFieldSpec } from './grant';
export { check, allowedEndpoints, whoCanCall, modelAppliesTo } from './check';
export {
  parseRoleTable,
  parseMarkdownTable,
  parseCsvTable,
  exportMarkdown,
  exportCsv,
  toRoleMatrixModel,
  type RoleMatrixTable,
  type TableIssue,
  type TableParseResult,
} from './table-import';
export { probePlan, type ProbeCell, type ProbePlan } from './probe-plan';
