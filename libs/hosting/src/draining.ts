/**
 * Whether this process is draining (it received SIGTERM). One per process, as signals are: the
 * readiness probe answers 503 and responses ask clients to close their connections, so that none
 * is idle on a keep-alive socket when the listener closes.
 */
export const draining = {
  active: false,
};
