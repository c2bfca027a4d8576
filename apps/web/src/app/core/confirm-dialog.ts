import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, type MatDialog, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

/** ConfirmData is what a confirmation asks: a title, one sentence of consequence, and the action's name. */
export interface ConfirmData {
  title: string;
  message: string;
  confirm: string;
  /** details are listed under the message (e.g. every tag that shares a digest). */
  details?: string[];
}

/** ConfirmDialog asks before a destructive action; it closes with `true` only when confirmed. */
@Component({
  selector: 'app-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content data-testid="confirm-dialog">
      <p>{{ data.message }}</p>
      @if (data.details?.length) {
        <ul>
          @for (d of data.details; track d) {
            <li>{{ d }}</li>
          }
        </ul>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" data-testid="confirm-cancel">Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" data-testid="confirm-ok">
        {{ data.confirm }}
      </button>
    </mat-dialog-actions>
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmData>(MAT_DIALOG_DATA);
}

/** confirmAction opens ConfirmDialog and resolves to true when the user confirmed. */
export async function confirmAction(dialog: MatDialog, data: ConfirmData): Promise<boolean> {
  const ref = dialog.open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, { data, maxWidth: '32rem' });
  return (await firstValueFrom(ref.afterClosed())) === true;
}
