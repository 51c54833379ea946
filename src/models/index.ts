// Model builders: LeNet-5, AlexNet, VGG16 (torchvision's layouts and parameter counts), the X-vs-O net.
export * from './init';
export * from './lenet5';
export * from './alexnet';
export * from './vgg16';
export * from './xonet';
export * from './alexnet-paper';
export * from './convnetjs';
