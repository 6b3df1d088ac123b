/** What a page last said: a confirmation (polite) or a problem (assertive). */
export type Message = { kind: 'status' | 'error'; text: string } | undefined;

/**
 * Two live regions that are always in the page, so screen readers announce what is
 * put into them: `role="status"` for results, `role="alert"` for problems.
 */
export function Messages({ message }: { message: Message }) {
  return (
    <div className="messages">
      <p role="status" className={message?.kind === 'status' ? 'message message-ok' : 'message-empty'}>
        {message?.kind === 'status' ? message.text : ''}
      </p>
      <p role="alert" className={message?.kind === 'error' ? 'message message-error' : 'message-empty'}>
        {message?.kind === 'error' ? message.text : ''}
      </p>
    </div>
  );
}
