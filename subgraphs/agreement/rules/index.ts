// The agreement's rules as pure functions: plain facts in, a verdict out.
export * from './verdict';
export * from './dates';
export * from './amounts';
export * from './agreementTerm';
export * from './roles';
export * from './proposal';
export * from './transitions';
export * from './plan';
export * from './costs';
export * from './followUp';
export * from './childrenAlert';
export * from './reconciliation';
export * from './personalIdentityNumber';
export * from './handlingUnit';
