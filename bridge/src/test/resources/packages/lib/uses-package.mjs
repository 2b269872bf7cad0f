export { kind as fromLib } from 'esm-conditions';
