import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from './button';
import { ErrorMessage } from './error-message';

interface Props {
  /** What the boundary holds, for the message ("the Route page"). */
  what: string;
  /** Where "Back" goes (a hash link), e.g. the project list. */
  backHref: string;
  backText: string;
  children: ReactNode;
}

/**
 * Catches a rendering error in one area of the app, so the rest of the app stays usable: it says what failed and
 * offers a way back (try the area again, or leave it). Stored data is not touched; nothing is lost by retrying.
 */
export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept in the console for a bug report: the component stack says where it happened.
    console.error(`${this.props.what} failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="mx-auto max-w-2xl space-y-3 p-6 text-sm" data-testid="area-error">
        <ErrorMessage title={`Something went wrong on ${this.props.what}`} error={this.state.error} />
        <p className="text-slate-600">Your data is stored as it was. Try again, or go back and open the page afresh.</p>
        <div className="flex gap-2">
          <Button variant="primary" onClick={() => this.setState({ error: null })}>
            Try again
          </Button>
          <a className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-800 hover:bg-slate-100" href={this.props.backHref}>
            {this.props.backText}
          </a>
        </div>
      </div>
    );
  }
}
