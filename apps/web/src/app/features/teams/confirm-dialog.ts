import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { MatDialog } from '@angular/material/dialog';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';

/** ConfirmData is what a confirmation asks: a title, a sentence, the action's label. */
export interface ConfirmData {
  title: string;
  message: string;
  confirmLabel: string;
}

/** ConfirmDialog asks "are you sure?" before a destructive change; it closes with true only on confirm. */
@Component({
  selector: 'app-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p data-testid="confirm-message">{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" data-testid="confirm-cancel">Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" data-testid="confirm-ok">
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmData>(MAT_DIALOG_DATA);
}

/** confirmAction opens a ConfirmDialog and emits once: true when the user confirmed. */
export function confirmAction(dialog: MatDialog, data: ConfirmData): Observable<boolean> {
  return dialog
    .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, {
      data,
      role: 'alertdialog',
      width: '28rem',
      maxWidth: '95vw',
    })
    .afterClosed()
    .pipe(map((ok) => ok === true));
}
