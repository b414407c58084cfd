import type { ReactNode } from 'react';

export function Banner({
  tone,
  title,
  children,
  action,
}: {
  tone: 'error' | 'warn' | 'info' | 'success';
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="banner__body">
        <strong>{title}</strong>
        {children ? <div className="banner__text">{children}</div> : null}
      </div>
      {action ? <div className="banner__action">{action}</div> : null}
    </div>
  );
}
