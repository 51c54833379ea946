// Gradient checking: central differences against every op's and layer's backward.
export * from './gradcheck';
// The checks a notebook makes of the numbers it teaches, and its exercises.
export * from './assert';
export * from './exercise';
