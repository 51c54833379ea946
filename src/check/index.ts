// Gradient checking: central differences against every op's and layer's backward.
export * from './gradcheck';
