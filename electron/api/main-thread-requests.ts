/**
 * Questions the services worker asks the Electron main thread (which has the windows and dialogs)
 * and waits for: each gets a request id, and the answer settles it.
 */
export class MainThreadRequests<T> {
  private next = 1;
  private readonly waiting = new Map<number, (answer: T) => void>();

  ask(send: (requestId: number) => void): Promise<T> {
    return new Promise((resolve) => {
      const requestId = this.next++;
      this.waiting.set(requestId, resolve);
      send(requestId);
    });
  }

  settle(requestId: number, answer: T): void {
    this.waiting.get(requestId)?.(answer);
    this.waiting.delete(requestId);
  }
}
