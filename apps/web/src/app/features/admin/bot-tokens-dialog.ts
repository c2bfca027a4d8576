import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { TokenList } from '../profile/token-list';
import type { UserEntity } from '@portcullis/contracts';

/** BotTokensDialog lets an admin manage a bot's application tokens (bots cannot sign in to do it themselves). */
@Component({
  selector: 'app-bot-tokens-dialog',
  imports: [MatButtonModule, MatDialogModule, TokenList],
  template: `
    <h2 mat-dialog-title>Tokens of {{ bot.username }}</h2>
    <mat-dialog-content data-testid="bot-tokens-dialog">
      <app-token-list [userId]="bot.id" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
})
export class BotTokensDialog {
  protected readonly bot = inject<UserEntity>(MAT_DIALOG_DATA);
}
