// The change feed (/api/v1/changes, Server-Sent Events): each commit, as it
// happens. Starts after the watermark the page read, so nothing between the
// first read and the subscription is missed; EventSource resumes with
// Last-Event-ID after a drop.
export function subscribe(after, { onCommit, onState }) {
  let source = null;
  const open = (from) => {
    source = new EventSource(`/api/v1/changes?after=${from}`);
    source.addEventListener('open', () => onState(true));
    source.addEventListener('error', () => onState(false));
    source.addEventListener('commit', (e) => {
      after = Number(e.lastEventId) || after;
      onCommit(JSON.parse(e.data));
    });
    // The hub dropped a subscriber that fell behind: reconnect from where it was.
    source.addEventListener('resume', () => { source.close(); onState(false); setTimeout(() => open(after), 1000); });
  };
  open(after);
  return () => source && source.close();
}
