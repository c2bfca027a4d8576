import { ClipboardModule } from '@angular/cdk/clipboard';
import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type { NewApplicationTokenEntity } from '@portcullis/contracts';

/** TokenDialog shows a new application token once, with a copy button; it is never shown again. */
@Component({
  selector: 'app-token-dialog',
  imports: [ClipboardModule, MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Token for {{ token.application }}</h2>
    <mat-dialog-content data-testid="token-dialog">
      <p>Copy it now: Portcullis keeps only a hash and cannot show it again.</p>
      <p>
        <label for="new-token-value">Application token</label><br />
        <input
          id="new-token-value"
          class="mono token-value"
          readonly
          [value]="token.plain_token"
          (focus)="selectAll($event)"
          data-testid="token-value"
        />
      </p>
      <p class="usage">
        Use it as the password in <code>docker login</code> or in the <code>Portus-Auth</code> header.
      </p>
      <p role="status" aria-live="polite">
        @if (copied()) {
          <span class="state-ok" data-testid="token-copied">Copied to the clipboard.</span>
        }
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button
        mat-stroked-button
        type="button"
        [cdkCopyToClipboard]="token.plain_token"
        (cdkCopyToClipboardCopied)="copied.set($event)"
        data-testid="token-copy"
      >
        Copy
      </button>
      <button mat-flat-button type="button" mat-dialog-close data-testid="token-done">I have saved it</button>
    </mat-dialog-actions>
  `,
  styles: `
    .token-value {
      width: 100%;
      box-sizing: border-box;
      padding: 0.5rem;
      font-size: 0.95rem;
    }
  `,
})
export class TokenDialog {
  protected readonly token = inject<NewApplicationTokenEntity>(MAT_DIALOG_DATA);
  protected readonly copied = signal(false);

  /** selectAll selects the token so it can also be copied by keyboard. */
  protected selectAll(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }
}
