/** Groups: the new-group dialog, the group panel and its add-members dialog. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

export class NewGroupDialog {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId(TEST_IDS.newGroupDialog);
  }

  async create(title: string, memberIds: readonly string[]): Promise<void> {
    await this.page.getByTestId(TEST_IDS.railNewGroup).click();
    await this.dialog.getByTestId(TEST_IDS.newGroupTitle).fill(title);
    for (const id of memberIds) await this.dialog.locator(`[data-testid="${TEST_IDS.newGroupMember}"][data-user-id="${id}"]`).getByRole('checkbox').check();
    await this.dialog.getByTestId(TEST_IDS.newGroupCreate).click();
  }
}

export class GroupPanel {
  readonly panel: Locator;
  readonly members: Locator;
  /** The add-members dialog; it stays open, showing `group-add-error`, when the server refuses. */
  readonly addDialog: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId(TEST_IDS.groupPanel);
    this.members = this.panel.getByTestId(TEST_IDS.groupMember);
    this.addDialog = page.getByTestId(TEST_IDS.groupAddDialog);
  }

  member(userId: string): Locator {
    return this.panel.locator(`[data-testid="${TEST_IDS.groupMember}"][data-user-id="${userId}"]`);
  }

  async open(): Promise<void> {
    if (!(await this.panel.isVisible())) await this.page.getByTestId(TEST_IDS.groupPanelToggle).click();
  }

  async rename(title: string): Promise<void> {
    await this.open();
    await this.panel.getByTestId(TEST_IDS.groupTitleInput).fill(title);
    await this.panel.getByTestId(TEST_IDS.groupRename).click();
  }

  async add(userIds: readonly string[]): Promise<void> {
    await this.open();
    await this.panel.getByTestId(TEST_IDS.groupAddMembers).click();
    for (const id of userIds) await this.addDialog.locator(`[data-testid="${TEST_IDS.groupAddCandidate}"][data-user-id="${id}"]`).getByRole('checkbox').check();
    await this.addDialog.getByTestId(TEST_IDS.groupAddConfirm).click();
  }

  async remove(userId: string): Promise<void> {
    await this.open();
    await this.member(userId).getByTestId(TEST_IDS.groupRemoveMember).click();
    await this.page.getByTestId(TEST_IDS.confirmAccept).click();
  }

  async leave(): Promise<void> {
    await this.open();
    await this.panel.getByTestId(TEST_IDS.groupLeave).click();
    await this.page.getByTestId(TEST_IDS.confirmAccept).click();
  }
}
