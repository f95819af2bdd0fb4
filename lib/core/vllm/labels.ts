import { VLLM_ENGINE } from '../serving/engine';

/** The serving port; vLLM's default, named so probes, Services and monitors refer to it by name. */
export const VLLM_PORT = VLLM_ENGINE.port;
/** Name of vLLM's serving port on the container and the Service. */
export const VLLM_PORT_NAME = VLLM_ENGINE.portName;
export const VLLM_CONTAINER = VLLM_ENGINE.containerName;
