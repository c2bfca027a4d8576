import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { shortDigest } from './human-size';

/** DeleteTagData names the tag asked for and every tag that shares its digest (they all go). */
export interface DeleteTagData {
  repository: string;
  tag: string;
  digest: string;
  sharing: string[];
}

/** DeleteTagDialog confirms a tag deletion, listing every tag deleted with it; closes with true on confirm. */
@Component({
  selector: 'app-delete-tag-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Delete {{ data.repository }}:{{ data.tag }}?</h2>
    <mat-dialog-content data-testid="delete-tag-dialog">
      <p>
        The registry deletes images by digest, so deleting this tag deletes image
        <code>{{ short }}</code> and every tag that points at it:
      </p>
      <ul data-testid="delete-tag-list">
        @for (t of data.sharing; track t) {
          <li [attr.data-testid]="'delete-tag-item-' + t">{{ t }}</li>
        }
      </ul>
      <p>This cannot be undone; the image can only be pushed again.</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" data-testid="delete-tag-cancel">Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" data-testid="delete-tag-confirm">
        Delete {{ data.sharing.length === 1 ? 'tag' : data.sharing.length + ' tags' }}
      </button>
    </mat-dialog-actions>
  `,
})
export class DeleteTagDialog {
  protected readonly data = inject<DeleteTagData>(MAT_DIALOG_DATA);
  protected readonly short = shortDigest(this.data.digest);
}
