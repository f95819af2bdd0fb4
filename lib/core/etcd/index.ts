export * from './versions';
export * from './options';
export * from './flags';
export * from './scripts';
export * from './hosts';
export * from './monitoring';
export * from './kubeadm';
export * from './migration';
